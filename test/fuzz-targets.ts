// The readers of untrusted input the fuzz tests exercise (issue 16; paper section 2.3 data path and section 3.1
// inputs), each with its base files (shipped fixtures and data, or excerpts of them), its mutations, how a
// mutant is read, and which errors count as named: the reader's own error class or message naming the file.
// Used by test/fuzz-worker.ts (one child process reads many mutants). Not a test file.
import * as fs from 'fs';
import * as path from 'path';
import { Rng, rngFor } from '../lib/core/random';
import { paths } from '../lib/core/paths';
import { CdfError, openCdf } from '../lib/swarm/cdf';
import { InputFormatError } from '../lib/data/errors';
import { ZipError, openZip } from '../lib/swarm/zip';
import { readMagCsv, readLpCsv } from '../lib/swarm/swarm-csv';
import { readComcat } from '../lib/catalog/comcat';
import { readKp3Hourly, readKpOfficial } from '../lib/indices/kp';
import { readApDaily } from '../lib/indices/ap';
import { readDstHourly } from '../lib/indices/dst';
import { readEsaLp, readEsaMag } from '../lib/swarm/esa-cdf';
import { buildCdf } from '../lib/swarm/cdf/writer';
import { unixMsToEpoch } from '../lib/swarm/cdf/epochs';
import { decodeDay, encodeDay, dayStartMs, STORE_FORMAT_VERSION } from '../lib/swarm/store';
import { allocColumns } from '../lib/swarm/types';
import { ccrUSizeField, CdfField, cdfFields } from './cdf-fields';
import { Mutant, mutateBytes, mutateCdfField, mutateText, mutateZipField } from './fuzz-mutate';
import { writeZip } from './zip-writer';

export interface FuzzBase {
  /** File name the mutant is written as (its extension matters to some readers). */
  name: string;
  bytes: Uint8Array;
  /** Which read function (for targets with several). */
  kind: string;
  fields?: CdfField[];
}

export interface FuzzTarget {
  bases(): FuzzBase[];
  mutate(base: FuzzBase, rng: Rng): Mutant;
  /** Read the file the way the package does; returns a short summary of what was decoded. */
  read(file: string, base: FuzzBase): string;
  /** A refusal the reader meant: its error class, naming the file. */
  named(e: unknown, file: string): boolean;
}

const FIX = paths.fixtures;
const readFix = (...p: string[]) => new Uint8Array(fs.readFileSync(path.join(FIX, ...p)));
const head = (file: string, lines: number) => new Uint8Array(Buffer.from(fs.readFileSync(file, 'utf8').split('\n').slice(0, lines).join('\n') + '\n'));
const inputError = (e: unknown, file: string) => e instanceof InputFormatError && e.message.includes(path.basename(file));

function cdfBases(): FuzzBase[] {
  const files = [
    ['cdf', 'cdfpp', 'a_cdf.cdf'], ['cdf', 'cdfpp', 'a_col_major_cdf.cdf'], ['cdf', 'cdfpp', 'a_compressed_cdf.cdf'],
    ['cdf', 'cdfpp', 'a_cdf_with_compressed_vars.cdf'], ['cdf', 'cdfpp', 'a_rle_compressed_cdf.cdf'],
    ['cdf', 'cdflib', 'de2_ion2s_rpa_19830213_v01.cdf'], ['cdf', 'cdflib', 'fa_esa_l2_eeb_00000000_v01.cdf'],
    ['cdf', 'cdflib', 'psp_fld_l2_mag_rtn_1min_20200104_v02.cdf'], ['cdf', 'vires-server', 'input_cdf_epoch.cdf'],
    ['cdf', 'vires-server', 'test_orbit_directions.cdf'], ['swarm', 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf'],
    ['swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.cdf'],
  ];
  return files.map((p) => {
    const bytes = readFix(...p);
    const compressed = openCdf(bytes).info.compression !== null;
    return { name: p[p.length - 1], bytes, kind: 'cdf', fields: compressed ? [ccrUSizeField(bytes)] : cdfFields(bytes) };
  });
}

/** A small store day (deterministic values), as the simulator or an import would write it. */
function storeDay(day: string, n: number): Uint8Array {
  const rng = rngFor('test', 'fuzz-store', day);
  const c = allocColumns(n);
  const t0 = dayStartMs(day);
  for (let i = 0; i < n; i++) {
    c.Timestamp[i] = t0 + i * 1000;
    c.Latitude[i] = rng.uniform(-90, 90);
    c.Longitude[i] = rng.uniform(-180, 180);
    c.Radius[i] = 6.8e6;
    c.B_N[i] = rng.normal(2e4, 5e3);
    c.B_E[i] = rng.normal(0, 2e3);
    c.B_C[i] = rng.normal(3e4, 1e4);
    c.Ne[i] = i % 7 === 0 ? NaN : rng.uniform(1e3, 1e6);
    c.Flags_B[i] = i % 11 === 0 ? 255 : 0;
    c.Flags_Ne[i] = 0;
  }
  return encodeDay(c, { source: 'simulated', satellite: 'A', day, producer: 'test/fuzz-targets.ts', baselines: {}, records: n, formatVersion: STORE_FORMAT_VERSION });
}

const HAPI_MAG = [{ name: 'Timestamp' }, { name: 'Latitude' }, { name: 'Longitude' }, { name: 'Radius' }, { name: 'B_NEC', size: [3] }];

export const TARGETS: Record<string, FuzzTarget> = {
  cdf: {
    bases: cdfBases,
    // half the mutants set one field of the file's records; half are byte-level
    mutate: (b, rng) => (rng.bernoulli(0.5) ? mutateCdfField(b.bytes, b.fields!, rng) : mutateBytes(b.bytes, rng)),
    read(file) {
      const f = openCdf(file);
      let values = 0;
      for (const v of f.variables()) {
        values += f.read(v.name).data.length;
        f.variableAttributes(v.name);
      }
      f.attributes();
      return `${f.variables().length} variables, ${values} values`;
    },
    named: (e, file) => e instanceof CdfError && e.message.startsWith(`${file}: `),
  },
  'swarm-csv': {
    bases: () => {
      const lp = ['Spacecraft,Timestamp,Latitude,Longitude,Radius,Ne,Te,Flags_Ne'];
      for (let k = 0; k < 40; k++) lp.push(`A,${new Date(Date.UTC(2016, 0, 1) + k * 500).toISOString()},1.5,2.5,6828000,${1e5 + k},1500,10`);
      // the VirES records rewritten as a HAPI CSV, with its '#' JSON header and without (as `make data` fetches them)
      const rows = Buffer.from(readFix('swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv')).toString('utf8').trim().split(/\r?\n/).slice(1, 61).map((l) => {
        const [, t, lat, lon, r, , b] = l.split(',');
        return `${t},${lat},${lon},${r},${b.slice(1, -1).split(';').join(',')}`;
      });
      const header = { HAPI: '3.0', status: { code: 1200, message: 'OK' }, format: 'csv', parameters: [
        { name: 'Timestamp', type: 'isotime', length: 24, fill: null }, { name: 'Latitude', type: 'double', fill: null },
        { name: 'Longitude', type: 'double', fill: null }, { name: 'Radius', type: 'double', fill: null },
        { name: 'B_NEC', type: 'double', size: [3], fill: null },
      ] };
      const hapi = JSON.stringify(header, null, 1).split('\n').map((l) => `#${l}`).join('\n') + '\n' + rows.join('\n') + '\n';
      return [
        { name: 'vires-maga.csv', bytes: readFix('swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv'), kind: 'mag' },
        { name: 'vires-efia-lp.csv', bytes: new Uint8Array(Buffer.from(lp.join('\n') + '\n')), kind: 'lp' },
        { name: 'hapi-maga.csv', bytes: new Uint8Array(Buffer.from(hapi)), kind: 'mag' },
        { name: 'hapi-maga-bare.csv', bytes: new Uint8Array(Buffer.from(rows.join('\n') + '\n')), kind: 'mag-bare' },
      ];
    },
    mutate: (b, rng) => mutateText(b.bytes, rng),
    read(file, b) {
      if (b.kind === 'mag') return `${readMagCsv(file).Timestamp.length} MAG records`;
      if (b.kind === 'mag-bare') return `${readMagCsv(file, { hapiParameters: HAPI_MAG }).Timestamp.length} MAG records`;
      return `${readLpCsv(file).Timestamp.length} LP records`;
    },
    named: inputError,
  },
  comcat: {
    bases: () => [
      { name: 'comcat-m5.csv', bytes: head(path.join(paths.root, 'data', 'catalog', 'usgs-comcat-m5.0-2013-2023.csv'), 200), kind: 'comcat' },
      { name: 'comcat-m45.csv', bytes: head(path.join(paths.root, 'data', 'catalog', 'usgs-comcat-m4.5-2019-12-2020-12.csv'), 100), kind: 'comcat' },
    ],
    mutate: (b, rng) => mutateText(b.bytes, rng),
    read: (file) => `${readComcat(file).time.length} events`,
    named: inputError,
  },
  'kp-dst': {
    bases: () => [
      { name: 'kp3.csv', bytes: head(paths.kp3hourly, 120), kind: 'kp3' },
      { name: 'ap-daily.csv', bytes: head(paths.apDaily, 120), kind: 'ap' },
      { name: 'dst.dat', bytes: head(paths.dstHourly, 60), kind: 'dst' },
      { name: 'kp-official.txt', bytes: new Uint8Array(fs.readFileSync(paths.kpOfficialExcerpt)), kind: 'kpofficial' },
    ],
    mutate: (b, rng) => mutateText(b.bytes, rng),
    read(file, b) {
      if (b.kind === 'kp3') return `${readKp3Hourly(file).time.length} Kp values`;
      if (b.kind === 'ap') return `${readApDaily(file).time.length} ap days`;
      if (b.kind === 'dst') return `${readDstHourly(file).time.length} Dst hours`;
      return `${readKpOfficial(file).time.length} Kp values`;
    },
    named: inputError,
  },
  zip: {
    bases: () => {
      const eef = readFix('swarm', 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf');
      return [
        { name: 'python-mixed.zip', bytes: readFix('zip', 'python-mixed.zip'), kind: 'zip' },
        { name: 'python-zip64.zip', bytes: readFix('zip', 'python-zip64.zip'), kind: 'zip' },
        { name: 'esa-like.zip', kind: 'zip', bytes: new Uint8Array(writeZip([
          { name: 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.HDR', data: new Uint8Array(Buffer.from('<Earth_Explorer_Header/>\n')), method: 0 },
          { name: 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf', data: eef },
        ])) },
      ];
    },
    mutate: (b, rng) => (rng.bernoulli(0.4) ? mutateZipField(b.bytes, rng) : mutateBytes(b.bytes, rng)),
    read(file) {
      const z = openZip(file);
      let bytes = 0;
      for (const n of z.names()) {
        const d = z.read(n);
        bytes += d.length;
        // the CDF inside (as lib/swarm/esa-cdf.ts opens it): a CRC-checked entry decodes
        if (/\.cdf$/i.test(n)) openCdf(d, { name: `${file}:${n}` });
      }
      return `${z.names().length} entries, ${bytes} bytes`;
    },
    named: (e, file) => (e instanceof ZipError || e instanceof CdfError) && e.message.startsWith(file),
  },
  'esa-mag': {
    // the VirES MAG LR CDF under an ESA product name, bare and zipped as ESA ships it (lib/swarm/esa-cdf.ts)
    bases: () => {
      const cdf = readFix('swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.cdf');
      const name = 'SW_OPER_MAGA_LR_1B_20160101T000000_20160101T235959_0505_MDR_MAG_LR';
      return [
        { name: `${name}.cdf`, bytes: cdf, kind: 'cdf', fields: cdfFields(cdf) },
        { name: `${name}.ZIP`, kind: 'zip', bytes: new Uint8Array(writeZip([{ name: `${name}.cdf`, data: cdf }, { name: `${name}.HDR`, data: new Uint8Array(Buffer.from('<hdr/>')), method: 0 }])) },
      ];
    },
    mutate: (b, rng) => (b.kind === 'cdf' && rng.bernoulli(0.5) ? mutateCdfField(b.bytes, b.fields!, rng) : b.kind === 'zip' && rng.bernoulli(0.3) ? mutateZipField(b.bytes, rng) : mutateBytes(b.bytes, rng)),
    read: (file) => `${readEsaMag(file).records.Timestamp.length} MAG records`,
    named: (e, file) => e instanceof Error && (e.constructor === Error || e instanceof CdfError || e instanceof ZipError) && e.message.startsWith(file),
  },
  'esa-lp': {
    // an EFI LP product (2 Hz, Ne and N_ion, GZIP-compressed density, FILLVAL) as lib/swarm/cdf/writer.ts writes
    // it, bare and zipped, under a baseline-07 name (lib/swarm/esa-cdf.ts picks N_ion)
    bases: () => {
      const n = 60;
      const t0 = Date.UTC(2016, 1, 15);
      const cdf = buildCdf({ variables: [
        { name: 'Timestamp', type: 'CDF_EPOCH', records: n, values: Array.from({ length: n }, (_, i) => unixMsToEpoch(t0 + 500 * i)) },
        { name: 'Latitude', type: 'CDF_DOUBLE', records: n, values: Array.from({ length: n }, (_, i) => -80 + i * 0.03) },
        { name: 'Ne', type: 'CDF_DOUBLE', records: n, values: Array.from({ length: n }, (_, i) => (i === 9 ? -1 : 1e5 + 100 * i)), gzip: 6, attributes: { UNITS: 'cm^-3', FILLVAL: [-1] } },
        { name: 'N_ion', type: 'CDF_DOUBLE', records: n, values: Array.from({ length: n }, (_, i) => 1e5 + 100 * i + 0.25), rle: true, attributes: { FILLVAL: [-1] } },
        { name: 'Flags_N_ion', type: 'CDF_UINT2', records: n, values: Array.from({ length: n }, (_, i) => (i % 2 ? 20 : 10)) },
      ] });
      const name = 'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0701_MDR_EFI_LP';
      return [
        { name: `${name}.cdf`, bytes: cdf, kind: 'cdf', fields: cdfFields(cdf) },
        { name: `${name}.ZIP`, kind: 'zip', bytes: new Uint8Array(writeZip([{ name: `${name}.cdf`, data: cdf }])) },
      ];
    },
    mutate: (b, rng) => (b.kind === 'cdf' && rng.bernoulli(0.5) ? mutateCdfField(b.bytes, b.fields!, rng) : b.kind === 'zip' && rng.bernoulli(0.3) ? mutateZipField(b.bytes, rng) : mutateBytes(b.bytes, rng)),
    read: (file) => `${readEsaLp(file).records.Timestamp.length} LP records`,
    named: (e, file) => e instanceof Error && (e.constructor === Error || e instanceof CdfError || e instanceof ZipError) && e.message.startsWith(file),
  },
  store: {
    bases: () => [
      { name: '2016-02-15.arrow', bytes: storeDay('2016-02-15', 300), kind: 'store' },
      { name: '2016-02-16.arrow', bytes: storeDay('2016-02-16', 1), kind: 'store' },
    ],
    mutate: (b, rng) => mutateBytes(b.bytes, rng),
    read(file, b) {
      const r = decodeDay(fs.readFileSync(file), file, { source: 'simulated', satellite: 'A', day: b.name.slice(0, 10) });
      return `${r.day.Timestamp.length} records`;
    },
    named: (e, file) => e instanceof Error && e.constructor === Error && e.message.startsWith(`store: ${file}: `),
  },
};
