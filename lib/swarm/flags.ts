// How Swarm product quality flags map to the store's flags (0 = usable), for MAG LR (Flags_B) and EFI LP
// (Flags_Ne / Flags_N_ion). Kept deliberately simple and explicit. Paper section 2.3 (data preparation).
//
// Store flags are bit sets written by the readers; 0 means "use this value":
//   bit 0 (1): the product marks the value invalid (see the rules below);
//   bit 1 (2): the value is missing: NaN/empty in the product, or (Ne only) no EFI sample within
//              +/- 0.5 s of the 1 Hz MAG timestamp (the value is then NaN);
//   bit 2 (4): the value is physically impossible (Ne <= 0).
// The product's own flag value is not kept in the store; readers report counts of each case.

/** Store flag bits. */
export const FLAG = {
  PRODUCT_INVALID: 1,
  MISSING: 2,
  IMPOSSIBLE: 4,
} as const;

/**
 * MAG LR 1B Flags_B: ESA marks a B_NEC vector that must not be used with 255 (the value that Swarm tools
 * such as viresclient and SwarmPAL filter out). Other Flags_B values describe how the vector was obtained
 * (instrument and attitude conditions) and are taken as usable here: the paper does not say it filtered on
 * flags, so the package rejects only what ESA calls invalid.
 */
export const MAG_FLAGS_B_INVALID = 255;

/**
 * EFI LP 1B Flags_Ne (baselines before 07) / Flags_N_ion (since 07): product flag values taken as invalid.
 * Empty by default (ASSUMPTION, documented): the meaning of the individual EFI LP flag values is given in
 * ESA's product description (Swarm handbook, SW_EFIx_LP_1B, "Details"), which this offline package could not
 * check value by value, and the paper does not say it filtered on them. Ne is still rejected when missing or
 * <= 0. Add values here to reject them; the readers report how many records carried each product flag.
 */
export const EFI_FLAGS_NE_INVALID: ReadonlySet<number> = new Set<number>();

/** Store flag for one MAG record from its product Flags_B and the three components. */
export function magStoreFlag(productFlagsB: number | null, bN: number, bE: number, bC: number): number {
  let f = 0;
  if (productFlagsB === MAG_FLAGS_B_INVALID) f |= FLAG.PRODUCT_INVALID;
  if (Number.isNaN(bN) || Number.isNaN(bE) || Number.isNaN(bC)) f |= FLAG.MISSING;
  return f;
}

/** Store flag for one Ne value (already matched to the MAG second; NaN when there was none). */
export function neStoreFlag(productFlagNe: number | null, ne: number): number {
  let f = 0;
  if (productFlagNe !== null && EFI_FLAGS_NE_INVALID.has(productFlagNe)) f |= FLAG.PRODUCT_INVALID;
  if (Number.isNaN(ne)) f |= FLAG.MISSING;
  else if (ne <= 0) f |= FLAG.IMPOSSIBLE;
  return f;
}

/** True when a store flag says the value may be used. */
export function isUsable(storeFlag: number): boolean {
  return storeFlag === 0;
}

/** Human-readable meaning of a store flag, for tables. */
export function describeStoreFlag(storeFlag: number): string {
  if (storeFlag === 0) return 'usable';
  const parts: string[] = [];
  if (storeFlag & FLAG.PRODUCT_INVALID) parts.push('product flag invalid');
  if (storeFlag & FLAG.MISSING) parts.push('missing');
  if (storeFlag & FLAG.IMPOSSIBLE) parts.push('impossible value');
  return parts.join(', ');
}
