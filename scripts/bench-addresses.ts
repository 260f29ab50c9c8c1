// How long the invite form's address parsing (lib/email-list.ts, the same code on the server and in
// the invite dialog) takes on the inputs that used to freeze the process, and on ordinary ones.
//
//   npm run bench:addresses -- [--runs 20]
//
// Prints the median and the slowest of `runs` parses per input, in milliseconds.
import { parseArgs } from 'node:util';
import { parseEmailList } from '@/lib/email-list';

const local64 = (i: number) => `${'b'.repeat(60)}${String(i).padStart(4, '0')}`;

const inputs: [string, string][] = [
  ['10,000-character local part', `${'a'.repeat(10_000)}@example.com`],
  ['10,000-character name before <address>', `${'a'.repeat(10_000)} <ana@example.com>`],
  [
    '500 addresses, 64-character local parts',
    Array.from({ length: 500 }, (_, i) => `${local64(i)}@example.com`).join(', '),
  ],
  [
    '500 "Last, First" <address> mailboxes',
    Array.from({ length: 500 }, (_, i) => `"${local64(i)}, Ana" <${local64(i)}@example.com>`).join('; '),
  ],
  ['50,000 unbalanced quotes', '"'.repeat(50_000)],
  ['50,000 unbalanced <', '<'.repeat(50_000)],
  ['20,000 × "a <', `${'"a <'.repeat(20_000)}ana@example.com`],
  ['40,000 words then an unclosed <', `${'a '.repeat(40_000)}<ana@example.com`],
  ['100,000 characters of one word', 'a'.repeat(100_000)],
];

function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  console.log(`parseEmailList, ${runs} runs each (ms)`);
  console.log(`${'input'.padEnd(44)} ${'chars'.padStart(7)} ${'median'.padStart(8)} ${'max'.padStart(8)}`);
  for (const [label, input] of inputs) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      parseEmailList(input);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const max = times[times.length - 1]!;
    console.log(
      `${label.padEnd(44)} ${String(input.length).padStart(7)} ${median.toFixed(2).padStart(8)} ${max.toFixed(2).padStart(8)}`,
    );
  }
}

main();
