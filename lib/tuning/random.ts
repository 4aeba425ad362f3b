// Random search: every active hyperparameter drawn from its prior, as hyperopt's rand.suggest (the baseline TPE
// is compared with; paper section 3.2's tuning). Deterministic for a given Rng.
import { Rng } from '../core/random';
import { samplePrior, Space, Vals, walkSpace } from './space';

/** One random point of the space. */
export function suggestRandom(space: Space, rng: Rng): { vals: Vals; params: unknown } {
  return walkSpace(space, (_label, dist) => samplePrior(dist, rng));
}
