// Tests for lib/swarm/zip.ts: archives written by Python's zipfile (test/fixtures/zip/make_zips.py, an
// independent writer) and by a small ZIP writer below (stored/deflate, data descriptors, ZIP64 records), and
// errors that name the archive and entry for truncated, corrupt and unsupported archives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { paths } from '../lib/core/paths';
import { crc32, openZip, ZipError } from '../lib/swarm/zip';
import { writeZip } from './zip-writer';

const FIX = path.join(paths.fixtures, 'zip');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('crc32 of known strings', () => {
  assert.is(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.is(crc32(Buffer.alloc(0)), 0);
  assert.is(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('archives written by Python zipfile (deflate, stored, folder, UTF-8 name, comment, forced ZIP64)', () => {
  const want = JSON.parse(fs.readFileSync(path.join(FIX, 'zips.json'), 'utf8')) as Record<string, Record<string, { size: number; sha256: string; method: number }>>;
  for (const [file, entries] of Object.entries(want)) {
    const z = openZip(path.join(FIX, file));
    assert.equal(z.names(), ['data/', ...Object.keys(entries)], file);
    assert.ok(z.entry('data/').isDirectory);
    for (const [name, e] of Object.entries(entries)) {
      const got = z.read(name);
      assert.is(got.length, e.size, `${file} ${name}`);
      assert.is(sha(got), e.sha256, `${file} ${name}`);
      assert.is(z.entry(name).method, e.method === 8 ? 8 : 0);
    }
  }
});

test('own writer: deflate and stored, data descriptors, ZIP64 extra fields and end records, comment', () => {
  const big = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
  const small = Buffer.from('EFIA_LP_1B Ne 2 Hz\n'.repeat(30));
  const variants = [
    {},
    { comment: 'x'.repeat(300) },
    { zip64End: true },
  ];
  for (const v of variants) {
    for (const dataDescriptor of [false, true]) {
      for (const zip64 of [false, true]) {
        const bytes = writeZip(
          [
            { name: 'a/SW_OPER_EFIA_LP_1B_20160101T000000_20160101T235959_0602_MDR_EFI_LP.cdf', data: big, method: 8, dataDescriptor, zip64 },
            { name: 'b.txt', data: small, method: 0, dataDescriptor: false, zip64 },
            { name: 'empty', data: new Uint8Array(0), method: 8, dataDescriptor, zip64 },
          ],
          v,
        );
        const z = openZip(bytes, 'mem.zip');
        const label = JSON.stringify({ ...v, dataDescriptor, zip64 }).slice(0, 80);
        assert.is(z.entries.length, 3, label);
        assert.ok(Buffer.from(big).equals(z.read(z.names()[0])), label);
        assert.ok(small.equals(z.read('b.txt')), label);
        assert.is(z.read('empty').length, 0, label);
        assert.is(z.entry(z.names()[0]).method, 8);
        assert.is(z.entry(z.names()[0]).size, big.length);
      }
    }
  }
});

function throwsZip(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ZipError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a ZipError matching ${re}`);
}

test('errors name the archive and the entry: truncated, corrupt data, CRC, unsupported method, missing entry', () => {
  const data = Buffer.from('Swarm '.repeat(2000));
  const good = writeZip([{ name: 'x.cdf', data, method: 8 }]);
  // not a ZIP at all, and too short
  throwsZip(() => openZip(Buffer.from('CDF file, not a zip, long enough to hold an end record'), 'plain.bin'), /^plain\.bin: not a ZIP archive/);
  throwsZip(() => openZip(Buffer.from('PK'), 'tiny.zip'), /^tiny\.zip: not a ZIP archive: only 2 bytes/);
  // cut in the middle: the end record is gone
  throwsZip(() => openZip(good.subarray(0, Math.floor(good.length / 2)), 'cut.zip'), /^cut\.zip: end-of-central-directory record not found \(the archive is truncated\)/);
  // a byte flipped inside the deflate stream or the stored data
  const flipped = Buffer.from(good);
  flipped[30 + 'x.cdf'.length + 3] ^= 0xff;
  throwsZip(() => openZip(flipped, 'flip.zip').read('x.cdf'), /^flip\.zip: entry 'x\.cdf': (deflate data are corrupt|CRC-32 mismatch|uncompressed)/);
  const stored = writeZip([{ name: 's.bin', data, method: 0 }]);
  stored[30 + 's.bin'.length + 100] ^= 0x01;
  throwsZip(() => openZip(stored, 'stored.zip').read('s.bin'), /^stored\.zip: entry 's\.bin': CRC-32 mismatch: computed [0-9a-f]{8}, recorded [0-9a-f]{8} \(corrupt\)/);
  // unsupported method (bzip2 = 12)
  const bz = writeZip([{ name: 'b.cdf', data, method: 12 }]);
  throwsZip(() => openZip(bz, 'bz.zip').read('b.cdf'), /^bz\.zip: entry 'b\.cdf': compression method 12 \(bzip2\) is not supported/);
  throwsZip(() => openZip(good, 'good.zip').read('y.cdf'), /^good\.zip: no entry named 'y\.cdf' \(have: x\.cdf\)/);
  // central directory pointing past the end (archive whose data part lost bytes but kept its tail)
  const lost = Buffer.concat([good.subarray(0, 10), good.subarray(good.length - 22 - 46 - 5)]);
  throwsZip(() => openZip(lost, 'lost.zip'), /^lost\.zip: central directory .* past the end of the archive .*truncated/);
  // a file that does not exist
  throwsZip(() => openZip('/nonexistent/none.zip'), /^\/nonexistent\/none\.zip: cannot read file/);
});

test('sizes bound inflation: an entry inflating past its recorded size, or a size its data cannot reach, is refused', () => {
  // 64 MiB of zeros deflate to ~64 KiB; the central directory says 1,000 bytes: refused after 1,001 bytes
  const zeros = new Uint8Array(64 * 1024 * 1024);
  const bomb = writeZip([{ name: 'z.cdf', data: zeros, method: 8 }]);
  const cd = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const before = process.memoryUsage().arrayBuffers;
  bomb.writeUInt32LE(1000, cd + 24);
  throwsZip(() => openZip(bomb, 'bomb.zip').read('z.cdf'), /^bomb\.zip: entry 'z\.cdf': deflate data inflate to more than the 1000 bytes the central directory says/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'nothing near 64 MiB was inflated');
  // a size no DEFLATE stream of that length can reach (4 GiB - 1 from ~64 KiB)
  bomb.writeUInt32LE(0xfffffffe, cd + 24);
  throwsZip(() => openZip(bomb, 'huge.zip').read('z.cdf'), /^huge\.zip: entry 'z\.cdf': size 4294967294 is more than \d+ deflate bytes can inflate to/);
  // the untouched archive still reads
  assert.is(openZip(writeZip([{ name: 'z.cdf', data: zeros.subarray(0, 1 << 20), method: 8 }]), 'ok.zip').read('z.cdf').length, 1 << 20);
});

test.run();
