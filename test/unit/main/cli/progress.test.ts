/** The CLI's per-epoch lines when the output is a log or a pipe (no terminal, no bars). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EpochEvent } from '../../../../main/api/events.js';
import type { RunRecord } from '../../../../main/api/records.js';
import { RunProgress } from '../../../../main/cli/progress.js';

function epochLine(imagesPerSecond: number): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const run = {
    id: 'r',
    variant: { name: 'bn-before' },
    seed: 1,
    status: 'running',
    epochsCompleted: 0,
    training: { epochs: 1 },
  } as unknown as RunRecord;
  const progress = new RunProgress([run], out as unknown as NodeJS.WriteStream);
  const epoch = EpochEvent.parse({
    time: 1,
    kind: 'epoch',
    epoch: 1,
    trainLoss: 2.3,
    trainAccuracy: 0.1,
    valLoss: 2.31,
    valAccuracy: 0.125,
    learningRate: 0.01,
    durationMs: 1000,
    imagesPerSecond,
  });
  progress.onEvents('r', [epoch]);
  progress.stop();
  return text;
}

describe('CLI epoch lines', () => {
  it('show a slow run’s images/s with a decimal (a software GPU adapter trains at < 1)', () => {
    expect(epochLine(0.42)).toMatch(/ 0\.4 img\/s\n$/);
    expect(epochLine(7.25)).toMatch(/ 7\.3 img\/s\n$/);
  });

  it('show whole images/s from 10 on', () => {
    expect(epochLine(182.3)).toBe(
      'bn-before s1  epoch 1  train loss 2.3000 acc 10.0%  val loss 2.3100 acc 12.5%  182 img/s\n',
    );
  });
});
