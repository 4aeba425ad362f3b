// Column types shared by every Swarm source (real readers, simulator) and every consumer (datasets, case
// studies): one satellite-day of 1 Hz records as typed columns, with Swarm's own names (paper section 2.3).

export type Satellite = 'A' | 'B' | 'C';
export type SwarmSource = 'real' | 'simulated';

/** One row per 1 Hz MAG LR record; Ne is the EFI LP electron density matched to that second. */
export interface SwarmColumns {
  /** UTC, Unix milliseconds. */
  Timestamp: Float64Array;
  /** Geocentric latitude, degrees. */
  Latitude: Float64Array;
  /** Geocentric longitude, degrees in [-180, 180). */
  Longitude: Float64Array;
  /** Geocentric radius, metres. */
  Radius: Float64Array;
  /** Magnetic field, North-East-Centre frame, nT; NaN where missing. */
  B_N: Float64Array;
  B_E: Float64Array;
  B_C: Float64Array;
  /** Electron density, cm^-3 (the paper's Ne; N_ion since EFI baseline 07); NaN where missing. */
  Ne: Float64Array;
  /** Product quality flags; 0 means nominal. Readers map product flags so that 0 is usable. */
  Flags_B: Uint16Array;
  Flags_Ne: Uint16Array;
}

export interface SwarmDay extends SwarmColumns {
  satellite: Satellite;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  source: SwarmSource;
}

export const SWARM_COLUMN_NAMES = [
  'Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_N', 'B_E', 'B_C', 'Ne', 'Flags_B', 'Flags_Ne',
] as const;
export type SwarmColumnName = (typeof SWARM_COLUMN_NAMES)[number];

/** Allocate empty columns for n records. */
export function allocColumns(n: number): SwarmColumns {
  return {
    Timestamp: new Float64Array(n),
    Latitude: new Float64Array(n),
    Longitude: new Float64Array(n),
    Radius: new Float64Array(n),
    B_N: new Float64Array(n),
    B_E: new Float64Array(n),
    B_C: new Float64Array(n),
    Ne: new Float64Array(n),
    Flags_B: new Uint16Array(n),
    Flags_Ne: new Uint16Array(n),
  };
}
