// Prints NLU accuracy per intent on an evaluation corpus and classify timings; exits 1 below 90 %.
// `npm run eval:nlu` scores the team's eval.json; `npm run eval:nlu -- independent` scores the set written apart
// from the training authors (corpus/INDEPENDENT.md), plus how many out-of-scope messages would get a question.
import { performance } from 'node:perf_hooks';
import evalCorpus from '../src/conversation/nlu/corpus/eval.json' with { type: 'json' };
import independentCorpus from '../src/conversation/nlu/corpus/independent.json' with { type: 'json' };
import outOfScope from '../src/conversation/nlu/corpus/independent-out-of-scope.json' with { type: 'json' };
import { evaluate } from '../src/conversation/nlu/evaluate.ts';
import { DEFAULT_THRESHOLD, defaultClassifier } from '../src/conversation/nlu/index.ts';

const corpora = { eval: evalCorpus, independent: independentCorpus };
const name = process.argv[2] ?? 'eval';
if (!Object.hasOwn(corpora, name)) {
  console.error(`unknown corpus "${name}": use one of ${Object.keys(corpora).join(', ')}`);
  process.exit(2);
}
const corpus = corpora[name as keyof typeof corpora];

const trainStart = performance.now();
const classifier = defaultClassifier();
const trainMs = performance.now() - trainStart;

const report = evaluate(classifier, corpus, DEFAULT_THRESHOLD);
console.log(`corpus: ${name}.json`);
console.table(
  report.perIntent.map((r) => ({
    intent: r.intent,
    correct: `${r.correct}/${r.total}`,
    accuracy: `${(r.accuracy * 100).toFixed(1)} %`,
    [`≥ ${DEFAULT_THRESHOLD}`]: `${r.confident}/${r.total}`,
    misses: r.misses.map((m) => `"${m.text}" → ${m.predicted}`).join('; '),
  })),
);
console.log(`overall: ${(report.accuracy * 100).toFixed(1)} % (${report.correct}/${report.total})`);
const confident = report.perIntent.reduce((a, r) => a + r.confident, 0);
console.log(
  `at threshold ${DEFAULT_THRESHOLD}: ${confident} right, ${report.confidentWrong} wrong, ${report.total - confident - report.confidentWrong} clarify`,
);

// Out-of-scope messages have no right intent: the right answer is a clarifying question (below the threshold).
if (name === 'independent') {
  const actedOn = outOfScope.filter((text) => classifier.classify(text).confidence >= DEFAULT_THRESHOLD);
  const listed = actedOn.map((text) => `"${text}"`).join('; ');
  console.log(
    `out of scope: ${outOfScope.length - actedOn.length}/${outOfScope.length} clarify, ${actedOn.length} acted on${listed ? `: ${listed}` : ''}`,
  );
}

// Timings over fresh sentences each round, so the spelling cache does not flatter the numbers.
const texts = Object.values(corpus).flat();
const times: number[] = [];
for (const text of texts) classifier.classify(`warm up ${text}`);
for (let round = 0; round < 20; round++) {
  for (const text of texts) {
    const t0 = performance.now();
    classifier.classify(`${text} ${round}`);
    times.push(performance.now() - t0);
  }
}
times.sort((a, b) => a - b);
const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
console.log(
  `train ${trainMs.toFixed(1)} ms · classify p50 ${pct(0.5).toFixed(3)} ms · p99 ${pct(0.99).toFixed(3)} ms (${times.length} messages)`,
);
if (report.accuracy < 0.9) process.exit(1);
