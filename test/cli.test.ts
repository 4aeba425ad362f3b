// Tests of the stage scripts' common options (lib/core/cli.ts): --profile, --source and --ids parsed into the
// defaults, other options left to the script, bad values sent to usage with a message naming option and value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commonArgs, parseCommonArg } from '../lib/core/cli';
import { PROFILES } from '../lib/core/config';

function parse(argv: string[]) {
  const args = commonArgs({ SAFENET_PROFILE: 'smoke' });
  const rest: string[] = [];
  const usage = (msg: string): never => { throw new Error(msg); };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    if (!parseCommonArg(a, val, args, usage)) rest.push(a);
  }
  return { args, rest };
}

test('defaults: the active profile, simulated, all datasets', () => {
  const { args } = parse([]);
  assert.is(args.profile, PROFILES.smoke);
  assert.is(args.source, 'simulated');
  assert.is(args.ids, undefined);
});

test('common options parsed, the others left in order', () => {
  const { args, rest } = parse(['--force', '--profile', 'paper', '--source', 'real', '--ids', '3,7,17', '--null']);
  assert.is(args.profile, PROFILES.paper);
  assert.is(args.source, 'real');
  assert.equal(args.ids, [3, 7, 17]);
  assert.equal(rest, ['--force', '--null']);
});

test('bad values name the option and the value', () => {
  assert.throws(() => parse(['--profile', 'huge']), /unknown profile 'huge'/);
  assert.throws(() => parse(['--source', 'swarm']), /--source must be simulated or real, got 'swarm'/);
  assert.throws(() => parse(['--ids', '3,18']), /--ids: '18' is not a dataset number 1\.\.17/);
  assert.throws(() => parse(['--ids', '0']), /'0' is not a dataset number/);
  assert.throws(() => parse(['--ids', '2.5']), /'2.5' is not a dataset number/);
  assert.throws(() => parse(['--ids']), /--ids needs a value/);
});

test.run();
