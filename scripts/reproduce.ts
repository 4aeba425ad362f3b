// `make reproduce`: the main job on the embedded default (or PROFILE=smoke|paper).
import { PROFILES, ProfileName } from '../lib/core/config';
import { reproduce, ReproduceStep } from '../lib/notebooks/reproduce';
import { simulateProfile } from '../lib/simulation/parallel';
import { experimentStage } from '../lib/experiments/notebook';
import { reportLine, writeReport } from '../lib/report/report';
import { auditStage } from '../lib/notebooks/audit';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

(async () => {
  const name = (arg('profile') ?? process.env.SAFENET_PROFILE ?? 'default') as ProfileName;
  const profile = PROFILES[name];
  if (!profile) throw new Error(`--profile ${name}: choose one of ${Object.keys(PROFILES).join(', ')}`);
  process.env.SAFENET_PROFILE = profile.name;
  const steps: ReproduceStep[] = [
    // the embedded default's Swarm A input: simulated days with injected precursors (skips days already stored)
    { name: 'simulate Swarm A (injected precursors)', run: async (p) => void (await simulateProfile(p, {})) },
    // the same days with nothing injected, for the leakage audit (a null simulation must score at chance)
    { name: 'simulate Swarm A (null: nothing injected)', run: async (p) => void (await simulateProfile(p, { null: true })) },
    // paper section 4: SafeNet tuned, trained and scored on the profile's datasets, Table 2 in build/results
    // (results reused when their inputs are unchanged); notebooks 05-06 then show them
    { name: 'experiments: SafeNet on the datasets, Table 2', run: async (p) => void (await experimentStage(p)) },
    // issue 15: the model audit (null-run models under both protocols, injection recovery, protocol optimism,
    // per-earthquake view) in build/results/audit/model-audit.json, cached by parts; notebook 08 and the report read it
    { name: 'model audit: null run, injection recovery, protocol optimism', run: async (p) => void (await auditStage(p)) },
    // issue 15: the reviewer's one page (Table 2, audits, data, environment, figures, notebook links), checked in
    // chromium by test/report.test.ts
    { name: 'report: build/report.html', afterNotebooks: true, run: async (p) => void console.log(reportLine(writeReport({ profile: p }))) },
  ];
  await reproduce(profile, steps);
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
