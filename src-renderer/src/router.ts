// The kiosk's screens; hash history so the same build works from file:// in Electron and from the web host.
import { createRouter, createWebHashHistory } from 'vue-router';
import { installAuthGuard } from './auth-guard';
import AuditView from './views/AuditView.vue';
import BlockRequestsView from './views/BlockRequestsView.vue';
import CardBlockView from './views/CardBlockView.vue';
import CardHandoverView from './views/CardHandoverView.vue';
import CardReturnView from './views/CardReturnView.vue';
import CardWorklistView from './views/CardWorklistView.vue';
import ChangePasswordView from './views/ChangePasswordView.vue';
import ForgotPasswordView from './views/ForgotPasswordView.vue';
import InvitationView from './views/InvitationView.vue';
import AdministrationView from './views/AdministrationView.vue';
import CounterHomeView from './views/CounterHomeView.vue';
import CrlView from './views/CrlView.vue';
import DashboardView from './views/DashboardView.vue';
import FaqEditView from './views/FaqEditView.vue';
import TokenTermsView from './views/TokenTermsView.vue';
import FaqView from './views/FaqView.vue';
import FirstRunView from './views/FirstRunView.vue';
import InvoicesView from './views/InvoicesView.vue';
import LockView from './views/LockView.vue';
import OrganisationView from './views/OrganisationView.vue';
import OutboxView from './views/OutboxView.vue';
import PeopleImportView from './views/PeopleImportView.vue';
import PeopleView from './views/PeopleView.vue';
import PersonCardsView from './views/PersonCardsView.vue';
import PersonExtractView from './views/PersonExtractView.vue';
import PersonFormView from './views/PersonFormView.vue';
import PersonView from './views/PersonView.vue';
import PinView from './views/PinView.vue';
import PukRouteView from './views/PukRouteView.vue';
import StaffView from './views/StaffView.vue';
import ReportsView from './views/ReportsView.vue';
import RetentionView from './views/RetentionView.vue';
import ScreenSaverView from './views/ScreenSaverView.vue';
import StartView from './views/StartView.vue';
import TokenCheckView from './views/TokenCheckView.vue';
import TokenIssueView from './views/TokenIssueView.vue';
import TokenServiceView from './views/TokenServiceView.vue';
import TokensView from './views/TokensView.vue';
import UnitAdminsView from './views/UnitAdminsView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'start', component: StartView, meta: { kioskOnly: true, counter: true } },
    { path: '/crl', name: 'crl', component: CrlView },
    { path: '/home', name: 'home', component: CounterHomeView, meta: { kioskOnly: true, staff: true, counter: true } },
    { path: '/admin', name: 'administration', component: AdministrationView, meta: { staff: true } },
    { path: '/faq', name: 'faq', component: FaqView },
    { path: '/faq/edit', name: 'faq-edit', component: FaqEditView, meta: { staff: true } },
    { path: '/screen-saver', name: 'screen-saver', component: ScreenSaverView, meta: { staff: true } },
    { path: '/retention', name: 'retention', component: RetentionView, meta: { staff: true } },
    { path: '/audit', name: 'audit', component: AuditView, meta: { staff: true } },
    { path: '/dashboard', name: 'dashboard', component: DashboardView, meta: { staff: true } },
    { path: '/people', name: 'people', component: PeopleView, meta: { staff: true } },
    { path: '/people/import', name: 'people-import', component: PeopleImportView, meta: { staff: true } },
    { path: '/people/:id(\\d+)', name: 'person', component: PersonView, meta: { staff: true } },
    { path: '/people/new', name: 'person-new', component: PersonFormView, meta: { staff: true } },
    { path: '/people/:id(\\d+)/edit', name: 'person-edit', component: PersonFormView, meta: { staff: true } },
    { path: '/people/:id(\\d+)/extract', name: 'person-extract', component: PersonExtractView, meta: { staff: true } },
    { path: '/organisation', name: 'organisation', component: OrganisationView, meta: { staff: true } },
    { path: '/staff', name: 'staff', component: StaffView, meta: { staff: true } },
    { path: '/unit-admins', name: 'unit-admins', component: UnitAdminsView, meta: { staff: true } },
    { path: '/pin/:reader', name: 'pin', component: PinView, meta: { kioskOnly: true, counter: true } },
    { path: '/login', name: 'login', component: LockView },
    { path: '/first-run', name: 'first-run', component: FirstRunView },
    { path: '/forgot-password', name: 'forgot-password', component: ForgotPasswordView },
    { path: '/invitation/:token', name: 'invitation', component: InvitationView },
    { path: '/change-password', name: 'change-password', component: ChangePasswordView, meta: { staff: true } },
    { path: '/tokens', name: 'tokens', component: TokensView, meta: { staff: true, counter: true } },
    { path: '/tokens/terms', name: 'token-terms', component: TokenTermsView, meta: { staff: true } },
    { path: '/tokens/issue', name: 'token-issue', component: TokenIssueView, meta: { staff: true } },
    { path: '/tokens/check', name: 'token-check', component: TokenCheckView, meta: { staff: true } },
    { path: '/tokens/service', name: 'token-service', component: TokenServiceView, meta: { staff: true } },
    { path: '/cards/handover', name: 'card-handover', component: CardHandoverView, meta: { kioskOnly: true, staff: true, counter: true } },
    { path: '/cards/return', name: 'card-return', component: CardReturnView, meta: { staff: true, counter: true } },
    { path: '/cards/block', name: 'card-block', component: CardBlockView, meta: { staff: true, counter: true } },
    { path: '/cards/lost-puk', name: 'lost-puk', component: PukRouteView, meta: { kioskOnly: true, staff: true, counter: true } },
    { path: '/cards/worklist', name: 'card-worklist', component: CardWorklistView, meta: { staff: true } },
    { path: '/cards/block-requests', name: 'block-requests', component: BlockRequestsView, meta: { staff: true } },
    { path: '/reports', name: 'reports', component: ReportsView, meta: { staff: true } },
    { path: '/invoices', name: 'invoices', component: InvoicesView, meta: { staff: true } },
    { path: '/outbox', name: 'outbox', component: OutboxView, meta: { staff: true } },
    { path: '/people/:id(\\d+)/cards', name: 'person-cards', component: PersonCardsView, meta: { staff: true } },
  ],
});
installAuthGuard(router);
