// Preloaded with `node --import` into a process under test: its clock starts at KORTSTATION_TEST_START_AT and runs on (by hand: libfaketime is not installed on our machines; plain JS so it loads before any TypeScript loader).
const startAt = Date.parse(process.env.KORTSTATION_TEST_START_AT ?? '');
if (Number.isNaN(startAt)) throw new Error('KORTSTATION_TEST_START_AT must be an ISO instant');
const RealDate = Date;
const offset = startAt - RealDate.now();

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offset;
  }
}
globalThis.Date = ShiftedDate;
