// Counts PIN-policy refusals per card, so a counter visitor cannot try hundreds of PINs against the holder's facts.
export const MAX_POLICY_REFUSALS = 5;
export const POLICY_REFUSAL_WINDOW_MS = 10 * 60_000;

export class PolicyRefusalLimit {
  private readonly refusals = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly max = MAX_POLICY_REFUSALS,
    private readonly windowMs = POLICY_REFUSAL_WINDOW_MS,
  ) {}

  /** True once the card has had `max` refusals within the window: it must wait before it is checked again. */
  exhausted(card: string): boolean {
    return this.recent(card).length >= this.max;
  }

  record(card: string): void {
    this.refusals.set(card, [...this.recent(card), this.now().getTime()]);
  }

  private recent(card: string): number[] {
    const since = this.now().getTime() - this.windowMs;
    const kept = (this.refusals.get(card) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.refusals.delete(card);
    else this.refusals.set(card, kept);
    return kept;
  }
}
