// Command-line options shared by the stage scripts (scripts/experiments.ts, scripts/slurm/experiments.ts,
// scripts/build-datasets.ts): which profile (lib/core/config.ts), which data source and which of the 17 datasets of
// Table 1 (paper section 3.1). Each script keeps its own loop and its own options; this parses the common ones.
import { activeProfile, Profile, PROFILES, ProfileName } from './config';

export type Source = 'simulated' | 'real';

/** The options every stage script takes: --profile, --source, --ids. */
export interface CommonArgs {
  profile: Profile;
  source: Source;
  ids: number[] | undefined;
}

/** Defaults: the active profile (SAFENET_PROFILE), simulated source, all datasets of the profile. */
export function commonArgs(env: NodeJS.ProcessEnv = process.env): CommonArgs {
  return { profile: activeProfile(env), source: 'simulated', ids: undefined };
}

/**
 * Parses `a` into `args` when it is one of the common options, reading its value with `val`; returns whether it
 * was one. Bad values go to `usage` (which exits) with a message naming the option and the value.
 */
export function parseCommonArg(a: string, val: () => string, args: CommonArgs, usage: (msg: string) => never): boolean {
  if (a === '--profile') {
    const n = val() as ProfileName;
    if (!PROFILES[n]) usage(`unknown profile '${n}'`);
    args.profile = PROFILES[n];
  } else if (a === '--source') {
    const s = val();
    if (s !== 'simulated' && s !== 'real') usage(`--source must be simulated or real, got '${s}'`);
    args.source = s;
  } else if (a === '--ids') {
    args.ids = val().split(',').map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 1 || n > 17) usage(`--ids: '${x}' is not a dataset number 1..17`);
      return n;
    });
  } else return false;
  return true;
}
