// `make reproduce`: the main job on the embedded default (or PROFILE=smoke|paper).
import { PROFILES, ProfileName } from '../lib/core/config';
import { reproduce, ReproduceStep } from '../lib/notebooks/reproduce';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

(async () => {
  const name = (arg('profile') ?? process.env.SAFENET_PROFILE ?? 'default') as ProfileName;
  const profile = PROFILES[name];
  if (!profile) throw new Error(`--profile ${name}: choose one of ${Object.keys(PROFILES).join(', ')}`);
  process.env.SAFENET_PROFILE = profile.name;
  const steps: ReproduceStep[] = [];
  await reproduce(profile, steps);
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
