// A snapshot fetched while events arrived may be older than they are: it is fetched again until none came in between.
const MAX_ATTEMPTS = 5;

export function freshSnapshots() {
  let eventsSeen = 0;
  return {
    /** Call for every event the snapshot also reflects. */
    noteEvent(): void {
      eventsSeen++;
    },
    async load<T>(fetchSnapshot: () => Promise<T>, applySnapshot: (snapshot: T) => void): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        const before = eventsSeen;
        const snapshot = await fetchSnapshot();
        if (eventsSeen === before || attempt === MAX_ATTEMPTS) return applySnapshot(snapshot);
      }
    },
  };
}
