// Reports the NLU on every labelled set: accuracy, confidently-wrong and clarify rates, cross-validation on the
// training corpus, the temperature the held-out predictions call for, and classify timings.
// Exits 1 when eval.json falls below the bar (the other sets are reported, not gated).
import { performance } from 'node:perf_hooks';
import { fitTemperature } from '../src/conversation/nlu/calibration.ts';
import { TEMPERATURE } from '../src/conversation/nlu/classifier.ts';
import devCorpus from '../src/conversation/nlu/corpus/dev.json' with { type: 'json' };
import evalCorpus from '../src/conversation/nlu/corpus/eval.json' with { type: 'json' };
import outOfScope from '../src/conversation/nlu/corpus/independent-out-of-scope.json' with { type: 'json' };
import independentCorpus from '../src/conversation/nlu/corpus/independent.json' with { type: 'json' };
import train from '../src/conversation/nlu/corpus/train.json' with { type: 'json' };
import { crossValidate, evaluate, scoreCorpus, type EvalReport } from '../src/conversation/nlu/evaluate.ts';
import { DEFAULT_THRESHOLD, defaultClassifier, understand } from '../src/conversation/nlu/index.ts';

const BAR = { accuracy: 0.97, confidentWrong: 0.01 };

const trainStart = performance.now();
const classifier = defaultClassifier();
const trainMs = performance.now() - trainStart;

const pct = (n: number, of: number): string => `${((n / of) * 100).toFixed(1)} %`;

function summary(name: string, r: EvalReport): Record<string, string> {
  return {
    set: name,
    sentences: String(r.total),
    accuracy: pct(r.correct, r.total),
    'confidently wrong': pct(r.confidentWrong, r.total),
    clarify: pct(r.clarify, r.total),
  };
}

function perIntent(r: EvalReport): void {
  console.table(
    r.perIntent.map((i) => ({
      intent: i.intent,
      correct: `${i.correct}/${i.total}`,
      [`≥ ${DEFAULT_THRESHOLD}`]: `${i.confident}/${i.total}`,
      misses: i.misses.map((m) => `"${m.text}" → ${m.predicted}`).join('; '),
    })),
  );
}

const evalReport = evaluate(classifier, evalCorpus, DEFAULT_THRESHOLD);
const devReport = evaluate(classifier, devCorpus, DEFAULT_THRESHOLD);
console.log('eval.json (the team’s own evaluation set), per intent:');
perIntent(evalReport);
console.log('dev.json (new phrasings for tuning), per intent:');
perIntent(devReport);

// independent.json is written apart from the training authors and never used for tuning: aggregates only.
const rows = [
  summary('eval.json', evalReport),
  summary('dev.json', devReport),
  summary('independent.json', evaluate(classifier, independentCorpus, DEFAULT_THRESHOLD)),
];
console.log(`at threshold ${DEFAULT_THRESHOLD}:`);
console.table(rows);
// Out-of-scope messages have no right intent: the right answer is a clarifying question (below the threshold).
const actedOn = outOfScope.filter((text) => classifier.classify(text).confidence >= DEFAULT_THRESHOLD).length;
console.log(`out of scope: ${outOfScope.length - actedOn}/${outOfScope.length} clarify, ${actedOn} acted on`);

const cv = crossValidate(train, 5);
const fitted = fitTemperature([...scoreCorpus(classifier, devCorpus), ...cv.heldOut]);
console.log(
  `5-fold cross-validation on train.json: ${pct(cv.accuracy, 1)} · temperature fitted on dev + cross-validation: ${fitted.toFixed(2)} (in use: ${TEMPERATURE})`,
);

// Timings over fresh sentences each round, so the spelling cache does not flatter the numbers.
const texts = Object.values(evalCorpus).flat();
const context = {
  workflows: [{ id: 'w1', slug: 'refund-request', name: 'Refund request' }],
  steps: [{ id: 'validate', name: 'Validate' }],
  inputFields: [{ name: 'amount', type: 'number' }],
};
function timings(run: (text: string) => unknown): string {
  const times: number[] = [];
  for (const text of texts) run(`warm up ${text}`);
  for (let round = 0; round < 20; round++) {
    for (const text of texts) {
      const t0 = performance.now();
      run(`${text} ${round}`);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number): string => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
  return `p50 ${at(0.5)} ms · p99 ${at(0.99)} ms (${times.length} messages)`;
}
console.log(`train ${trainMs.toFixed(1)} ms`);
console.log(`classify: ${timings((t) => classifier.classify(t))}`);
console.log(`understand (with entities): ${timings((t) => understand(t, context))}`);

const evalWrongRate = evalReport.confidentWrong / evalReport.total;
if (evalReport.accuracy < BAR.accuracy || evalWrongRate > BAR.confidentWrong) {
  console.error(
    `eval.json is below the bar: accuracy ${pct(evalReport.accuracy, 1)} (needs ≥ ${pct(BAR.accuracy, 1)}), confidently wrong ${pct(evalWrongRate, 1)} (needs ≤ ${pct(BAR.confidentWrong, 1)})`,
  );
  process.exit(1);
}
