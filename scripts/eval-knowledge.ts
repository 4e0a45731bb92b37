// `npm run eval:knowledge [-- --dev]`: retrieval quality (recall@5, MRR) of full-text, vector and hybrid search on the
// knowledge evaluation set, or on the separate development set (the only one to tune on). Prints, writes nothing.
import { measureQuality, MODES } from '../bench/knowledge-quality.ts';

const dev = process.argv.includes('--dev');
const report = await measureQuality(dev);
console.log(
  `${dev ? 'development' : 'evaluation'} set: ${report.questions} questions, ${report.documents} documents, ${report.chunks} chunks`,
);
console.table(
  Object.fromEntries(
    MODES.map((mode) => {
      const q = report.modes[mode];
      return [mode, { 'recall@5': q.recallAt5.toFixed(3), MRR: q.mrr.toFixed(3), misses: q.misses.join(' ') }];
    }),
  ),
);
