import { describe, expect, it } from 'vitest';
import { fitTemperature, negativeLogLikelihood, type Labelled } from '../../../src/conversation/nlu/calibration.ts';
import { SoftmaxModel, softmaxInto } from '../../../src/conversation/nlu/logistic.ts';

describe('temperature scaling', () => {
  it('recovers the temperature that produced the labels', () => {
    // Scores of 3 classes; labels drawn (deterministically, by quantiles) from softmax(scores / 2).
    const items: Labelled[] = [];
    for (let i = 0; i < 400; i++) {
      const scores = Float64Array.from([Math.sin(i) * 4, Math.cos(i * 1.3) * 4, Math.sin(i * 0.7 + 1) * 4]);
      const p = softmaxInto(new Float64Array(3), scores, 2);
      const u = ((i * 0.618033988749895) % 1) as number;
      items.push({ scores, label: u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2 });
    }
    const fitted = fitTemperature(items);
    expect(fitted).toBeGreaterThan(1.5);
    expect(fitted).toBeLessThan(2.7);
    expect(negativeLogLikelihood(items, fitted)).toBeLessThanOrEqual(negativeLogLikelihood(items, 1));
  });
});

describe('softmax model', () => {
  const rows = [
    { ids: [0], values: [1] },
    { ids: [1], values: [1] },
    { ids: [0, 2], values: [0.7, 0.7] },
    { ids: [1, 2], values: [0.7, 0.7] },
  ];
  const labels = [0, 1, 0, 1];
  const options = { epochs: 20, l2: 1e-4, learningRate: 0.5, seed: 3 };

  it('learns which features mean which class', () => {
    const model = new SoftmaxModel(3, 2);
    model.train(rows, labels, options);
    const first = model.scores({ ids: [0], values: [1] });
    const second = model.scores({ ids: [1], values: [1] });
    expect(first[0]).toBeGreaterThan(first[1]!);
    expect(second[1]).toBeGreaterThan(second[0]!);
  });

  it('gives the same weights for the same examples', () => {
    const a = new SoftmaxModel(3, 2);
    const b = new SoftmaxModel(3, 2);
    a.train(rows, labels, options);
    b.train(rows, labels, options);
    expect([...a.scores({ ids: [2], values: [1] })]).toEqual([...b.scores({ ids: [2], values: [1] })]);
  });
});
