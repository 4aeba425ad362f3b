// CDF time types to Unix time for Swarm timestamps (paper section 2.3): CDF_EPOCH, CDF_EPOCH16 and CDF_TIME_TT2000
// (leap seconds), the latter with the NASA CDF library's own arithmetic (computeTT2000, incl. its pre-1972 drift
// formula), so that values the CDF library wrote decode to exactly what was written.

/** ms between 0000-01-01T00:00:00 (CDF_EPOCH zero) and 1970-01-01T00:00:00. */
export const EPOCH_UNIX_OFFSET_MS = 62167219200000;
const EPOCH_UNIX_OFFSET_S = 62167219200;
/** CDF_EPOCH fill value (ISTP FILLVAL), decoded as NaN. */
export const EPOCH_FILL = -1e31;
/** TT2000 fill value (9999-12-31T23:59:59.999999999) and default pad value (0000-01-01): decoded as NaN. */
export const TT2000_FILL = -9223372036854775808n;
export const TT2000_PAD = -9223372036854775807n;

/**
 * CDF's leap-second table (CDFLeapSeconds.txt, as distributed with CDF 3.9): year, month, day, TAI-UTC (s),
 * and for the 14 entries before 1972 the drift base MJD and drift (s/day): TAI-UTC = s + (MJD - base) * drift.
 * The last leap second is 2017-01-01 (TAI-UTC = 37 s); IERS Bulletin C has announced none since.
 */
export const CDF_LEAP_SECONDS: readonly (readonly [number, number, number, number, number, number])[] = [
  [1960, 1, 1, 1.417818, 37300.0, 0.001296],
  [1961, 1, 1, 1.422818, 37300.0, 0.001296],
  [1961, 8, 1, 1.372818, 37300.0, 0.001296],
  [1962, 1, 1, 1.845858, 37665.0, 0.0011232],
  [1963, 11, 1, 1.945858, 37665.0, 0.0011232],
  [1964, 1, 1, 3.24013, 38761.0, 0.001296],
  [1964, 4, 1, 3.34013, 38761.0, 0.001296],
  [1964, 9, 1, 3.44013, 38761.0, 0.001296],
  [1965, 1, 1, 3.54013, 38761.0, 0.001296],
  [1965, 3, 1, 3.64013, 38761.0, 0.001296],
  [1965, 7, 1, 3.74013, 38761.0, 0.001296],
  [1965, 9, 1, 3.84013, 38761.0, 0.001296],
  [1966, 1, 1, 4.31317, 39126.0, 0.002592],
  [1968, 2, 1, 4.21317, 39126.0, 0.002592],
  [1972, 1, 1, 10, 0, 0],
  [1972, 7, 1, 11, 0, 0],
  [1973, 1, 1, 12, 0, 0],
  [1974, 1, 1, 13, 0, 0],
  [1975, 1, 1, 14, 0, 0],
  [1976, 1, 1, 15, 0, 0],
  [1977, 1, 1, 16, 0, 0],
  [1978, 1, 1, 17, 0, 0],
  [1979, 1, 1, 18, 0, 0],
  [1980, 1, 1, 19, 0, 0],
  [1981, 7, 1, 20, 0, 0],
  [1982, 7, 1, 21, 0, 0],
  [1983, 7, 1, 22, 0, 0],
  [1985, 7, 1, 23, 0, 0],
  [1988, 1, 1, 24, 0, 0],
  [1990, 1, 1, 25, 0, 0],
  [1991, 1, 1, 26, 0, 0],
  [1992, 7, 1, 27, 0, 0],
  [1993, 7, 1, 28, 0, 0],
  [1994, 7, 1, 29, 0, 0],
  [1996, 1, 1, 30, 0, 0],
  [1997, 7, 1, 31, 0, 0],
  [1999, 1, 1, 32, 0, 0],
  [2006, 1, 1, 33, 0, 0],
  [2009, 1, 1, 34, 0, 0],
  [2012, 7, 1, 35, 0, 0],
  [2015, 7, 1, 36, 0, 0],
  [2017, 1, 1, 37, 0, 0],
];
/** Index of the first entry with integral leap seconds (1972-01-01). */
const NERA1 = 14;

const DAY_NS = 86400000000000n;
const DAY_MS = 86400000;
/** unixNs = tt2000 + K - (TAI-UTC in ns): K = 2000-01-01T12:00:00 as Unix ns minus 32.184 s (TT-TAI). */
const K_NS = 946728000000000000n - 32184000000n;

/** Julian day number at noon of a Gregorian date (the CDF library's JulianDay). */
function julianDay(y: number, m: number, d: number): number {
  const a1 = Math.trunc((7 * Math.trunc(y + Math.trunc((m + 9) / 12))) / 4);
  const a2 = Math.trunc((3 * (Math.trunc(Math.trunc(y + Math.trunc((m - 9) / 7)) / 100) + 1)) / 4);
  const a3 = Math.trunc((275 * m) / 9);
  return 367 * y - a1 - a2 + a3 + d + 1721029;
}

/** TAI-UTC in whole ns on a UTC day (the CDF library's LeapSecondsfromYMD, truncated to ns as it does). */
function leapNsForDay(unixDay: number): bigint {
  const date = new Date(unixDay * DAY_MS);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const key = 12 * y + m;
  let j = -1;
  for (let i = CDF_LEAP_SECONDS.length - 1; i >= 0; i--) {
    if (key >= 12 * CDF_LEAP_SECONDS[i][0] + CDF_LEAP_SECONDS[i][1]) {
      j = i;
      break;
    }
  }
  if (j === -1) return 0n;
  const [, , , s, base, drift] = CDF_LEAP_SECONDS[j];
  let da = s;
  if (j < NERA1) da = da + (julianDay(y, m, d) - 2400000.5 - base) * drift;
  return BigInt(Math.trunc(da * 1e9));
}

/** TT2000 values at which each integral leap-second era starts (00:00:00 UTC of the table dates). */
const ERA_START_TT: bigint[] = CDF_LEAP_SECONDS.slice(NERA1).map(([y, m, d, s]) => {
  const unixNs = BigInt(Date.UTC(y, m - 1, d)) * 1000000n;
  return unixNs - K_NS + BigInt(s) * 1000000000n;
});

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/**
 * TT2000 (ns since J2000 TT) to Unix ns (UTC, POSIX days of 86400 s). Inside a leap second (23:59:60.x) the
 * result is held at 23:59:59.999999999 of that day, since Unix time has no 61st second. Fill/pad values give null.
 */
export function tt2000ToUnixNs(tt: bigint): bigint | null {
  if (tt === TT2000_FILL || tt === TT2000_PAD) return null;
  if (tt >= ERA_START_TT[0]) {
    let i = ERA_START_TT.length - 1;
    while (tt < ERA_START_TT[i]) i--;
    const leapNs = BigInt(CDF_LEAP_SECONDS[NERA1 + i][3]) * 1000000000n;
    if (i + 1 < ERA_START_TT.length && tt >= ERA_START_TT[i + 1] - 1000000000n) {
      // the inserted second 23:59:60: hold at the end of the day
      return ERA_START_TT[i + 1] + K_NS - BigInt(CDF_LEAP_SECONDS[NERA1 + i + 1][3]) * 1000000000n - 1n;
    }
    return tt + K_NS - leapNs;
  }
  // before 1972: TAI-UTC depends on the day (drift formula); iterate to the consistent day
  let guess = tt + K_NS - 8000000000n;
  for (let iter = 0; iter < 4; iter++) {
    const day = Number(floorDiv(guess, DAY_NS));
    const next = tt + K_NS - leapNsForDay(day);
    if (Number(floorDiv(next, DAY_NS)) === day) return next;
    guess = next;
  }
  return guess;
}

/** Unix ns (UTC) to TT2000, exactly as the CDF library's computeTT2000 does from the broken-down UTC time. */
export function unixNsToTt2000(unixNs: bigint): bigint {
  const day = Number(floorDiv(unixNs, DAY_NS));
  return unixNs - K_NS + leapNsForDay(day);
}

/** TT2000 to Unix ms (UTC; fractional ms keep sub-ms digits to double precision). Fill/pad give NaN. */
export function tt2000ToUnixMs(tt: bigint): number {
  const ns = tt2000ToUnixNs(tt);
  if (ns === null) return NaN;
  const ms = floorDiv(ns, 1000000n);
  return Number(ms) + Number(ns - ms * 1000000n) / 1e6;
}

/** Unix ms (may be fractional) to TT2000 (ns resolution). */
export function unixMsToTt2000(ms: number): bigint {
  const whole = Math.floor(ms);
  return unixNsToTt2000(BigInt(whole) * 1000000n + BigInt(Math.round((ms - whole) * 1e6)));
}

/** CDF_EPOCH (ms since 0000-01-01) to Unix ms. The fill value -1e31 gives NaN. */
export function epochToUnixMs(epoch: number): number {
  if (epoch <= EPOCH_FILL) return NaN;
  return epoch - EPOCH_UNIX_OFFSET_MS;
}

export function unixMsToEpoch(ms: number): number {
  return ms + EPOCH_UNIX_OFFSET_MS;
}

/** CDF_EPOCH16 (seconds since 0000-01-01, picoseconds within the second) to Unix picoseconds, exactly. */
export function epoch16ToUnixPs(seconds: number, picoseconds: number): bigint | null {
  if (seconds <= EPOCH_FILL) return null;
  return (BigInt(Math.round(seconds)) - BigInt(EPOCH_UNIX_OFFSET_S)) * 1000000000000n + BigInt(Math.round(picoseconds));
}

/** CDF_EPOCH16 to Unix ms (double; sub-ms digits kept to double precision). */
export function epoch16ToUnixMs(seconds: number, picoseconds: number): number {
  if (seconds <= EPOCH_FILL) return NaN;
  return (seconds - EPOCH_UNIX_OFFSET_S) * 1000 + picoseconds / 1e9;
}

/** Date-time string (ISO 8601, UTC, ms) of a Unix ms value, for messages and tests. */
export function isoFromUnixMs(ms: number): string {
  return new Date(ms).toISOString();
}
