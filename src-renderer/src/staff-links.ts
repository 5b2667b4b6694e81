// Which staff screens each role reaches: the counter's daily jobs on the home, the rest behind Administration; each only for the roles whose calls its screen makes.
import type { Ref } from 'vue';
import { computed } from 'vue';

export interface StaffLink {
  to: string;
  label: string;
  test: string;
}

type Role = string | undefined;

const administrators = new Set(['org-admin', 'station-admin', 'unit-admin']);
const stationAdministrators = new Set(['org-admin', 'station-admin']);

/** pinTarget: the PIN screen of the one reader holding a card, else the card test where the holder picks their reader. */
export function counterLinks(role: Ref<Role>, pinTarget: Ref<string>) {
  return computed<StaffLink[]>(() => [
    { to: '/', label: 'counter.home.cardTest', test: 'tile-card-test' },
    { to: pinTarget.value, label: 'counter.home.pins', test: 'tile-pins' },
    // the card screens are the counter's; a unit administrator makes none of their calls
    ...(role.value === 'unit-admin'
      ? []
      : [
          { to: '/cards/handover', label: 'counter.home.handover', test: 'tile-handover' },
          { to: '/cards/return', label: 'counter.home.return', test: 'tile-return' },
          { to: '/cards/block', label: 'counter.home.block', test: 'tile-block' },
          { to: '/cards/lost-puk', label: 'pukRoute.tile', test: 'tile-lost-puk' },
        ]),
    { to: '/tokens', label: 'counter.home.tokens', test: 'tile-tokens' },
  ]);
}

export function administrationLinks(role: Ref<Role>) {
  return computed<StaffLink[]>(() => {
    const isAdministrator = administrators.has(role.value ?? '');
    const isStationAdministrator = stationAdministrators.has(role.value ?? '');
    return [
      { to: '/people', label: 'nav.people', test: 'admin-people' },
      ...(role.value === 'unit-admin'
        ? []
        : [
            { to: '/cards/worklist', label: 'lifecycle.nav.worklist', test: 'admin-worklist' },
            { to: '/cards/block-requests', label: 'lifecycle.nav.blockRequests', test: 'admin-block-requests' },
          ]),
      ...(isStationAdministrator ? [{ to: '/audit', label: 'nav.audit', test: 'admin-audit' }] : []),
      ...(isAdministrator
        ? [
            { to: '/dashboard', label: 'dashboard.title', test: 'admin-dashboard' },
            { to: '/reports', label: 'reports.nav.reports', test: 'admin-reports' },
            { to: '/invoices', label: 'reports.nav.invoices', test: 'admin-invoices' },
          ]
        : []),
      // "Kan redigera" is kept by the organisation administrator and by unit administrators for their units
      ...(role.value === 'org-admin' || role.value === 'unit-admin' ? [{ to: '/unit-admins', label: 'portal.admins.nav', test: 'admin-unit-admins' }] : []),
      // the outbox is the station's, not a unit administrator's
      ...(isStationAdministrator ? [{ to: '/outbox', label: 'reports.nav.outbox', test: 'admin-outbox' }] : []),
      ...(isStationAdministrator
        ? [
            { to: '/organisation', label: 'admin.nav.organisation', test: 'admin-organisation' },
            { to: '/staff', label: 'admin.nav.staff', test: 'admin-staff' },
            { to: '/screen-saver', label: 'counter.screenSaver.nav', test: 'admin-screen-saver' },
            { to: '/retention', label: 'privacy.retention.nav', test: 'admin-retention' },
          ]
        : []),
      // faq.save and tokens.saveTerms are the organisation administrator's alone
      ...(role.value === 'org-admin'
        ? [
            { to: '/faq/edit', label: 'faq.edit.nav', test: 'admin-faq' },
            { to: '/tokens/terms', label: 'tokens.terms.nav', test: 'admin-token-terms' },
          ]
        : []),
    ];
  });
}
