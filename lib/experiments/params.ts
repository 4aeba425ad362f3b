// Named parameters of the SafeNet experiments (paper sections 3.2-4.5): what the paper leaves open about turning
// windows into tensors, weighting classes, stopping training and choosing a model, each value with its reason.
// Budgets (TPE evaluations, epochs, training windows) are per profile in lib/core/config.ts.

/** Which part picks the hyperparameters and the kept model. */
export type Selection = 'validation' | 'paper-test-set';

export interface ExperimentParams {
  /** How the loss weights classes ('balanced': n / (k * n_c), scikit-learn's compute_class_weight). */
  classWeight: 'balanced' | 'none';
  /** Per-channel standardisation (z-score) of the inputs, fitted on the training windows only. */
  standardise: boolean;
  /** Early stopping on the validation loss: epochs without improvement before stopping. */
  patience: number;
  /** Restore the weights of the epoch with the lowest validation loss when training stops. */
  restoreBest: boolean;
  /** The F1 whose negative is the search's loss (paper 3.2: "the negative of the F-measure"). */
  objective: 'f1_macro' | 'f1_micro' | 'f1_weighted';
  /** Model choice: on the validation part (default) or, as the paper's code did, by F1 on the test part. */
  selection: Selection;
  /** Bootstrap resamples of events for the intervals in Table 2. */
  bootstrapResamples: number;
  /** Probability mass of the bootstrap intervals. */
  bootstrapLevel: number;
}

export const EXPERIMENT_PARAMS: Readonly<ExperimentParams> = Object.freeze({
  classWeight: 'balanced',
  standardise: true,
  patience: 3,
  restoreBest: true,
  objective: 'f1_macro',
  selection: 'validation',
  bootstrapResamples: 1000,
  bootstrapLevel: 0.95,
});

/** One reason per parameter (a test checks every parameter has one). */
export const EXPERIMENT_REASONS: Record<keyof ExperimentParams, string> = {
  classWeight:
    'Paper 3.3: "class imbalance was addressed by weighting the various classes according to their sample ' +
    'proportions". Read as Keras class_weight with scikit-learn\'s balanced weights n / (k * n_c) over the ' +
    'classes present in the training part (k of them); a class absent from training gets weight 0.',
  standardise:
    'Not stated in the paper; the first author\'s code for the sibling model (SeqNetQuake) offers standard ' +
    'scaling. B_NEC (~1e4 nT) and Ne (~1e5 cm^-3) differ by orders of magnitude, so unscaled inputs saturate the ' +
    'first layer. Fitted on the training windows only (mean and population std per channel) and saved with the model.',
  patience:
    'The paper tunes epochs in {10, 50, 100} (METHOD-NOTES); with a validation part we stop when the validation ' +
    'loss has not improved for this many epochs (Keras EarlyStopping(patience)), which bounds the cost on 2 cores.',
  restoreBest:
    'Keep the weights of the best validation epoch (Keras restore_best_weights=True); the last epoch after a ' +
    'plateau is no better a choice and depends on the patience.',
  objective:
    'The paper does not say which F1 average the search used. Its Table 2 F1 equals accuracy (micro F1), which a ' +
    'majority-class model maximises on unbalanced data; section 3.3 says F1 is used because it "considers the ' +
    'correct classification of each class to be equally important", which is the macro average. Table 2 shows micro F1 beside the paper\'s.',
  selection:
    'The paper\'s code chose hyperparameters and the kept model by F1 on the test set (no validation split), which ' +
    'makes the reported test score optimistic. Default: choose on the validation part and score the test part once; ' +
    '\'paper-test-set\' reproduces the paper\'s choice for the audit to measure that optimism.',
  bootstrapResamples: 'Enough for stable 95 % percentile intervals of MCC/F1/AUC at a cost of seconds per dataset.',
  bootstrapLevel: 'The usual 95 % interval.',
};
