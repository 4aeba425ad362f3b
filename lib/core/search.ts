// Binary search on sorted numeric columns (event times, Kp slots, latitudes): shared by declustering, dataset
// selection and the artificial non-seismic events (paper section 2.3).

/** Index of the first element >= v in an ascending array (a.length when none). */
export function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
