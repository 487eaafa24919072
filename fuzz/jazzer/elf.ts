/**
 * Just enough of the ELF format (System V gABI; GNU symbol versioning, LSB
 * Core §10.7) to see which symbol versions a shared object needs, which ones
 * a system library provides, and to mark needed versions weak in a copy.
 *
 * 64-bit little-endian objects only (x86-64, AArch64): the platforms
 * @jazzer.js/fuzzer ships Linux prebuilds for.
 */

export class ElfError extends Error {
  override readonly name = 'ElfError';
}

/** `vna_flags` bit: a missing version is not fatal (the dynamic linker warns at most). */
export const VER_FLG_WEAK = 0x2;

const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHT_DYNAMIC = 6;
const DT_NEEDED = 1;
const SHN_UNDEF = 0;

interface Section {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

/** One required version (`Elf64_Vernaux`) of one needed file (`Elf64_Verneed`). */
export interface VersionNeed {
  /** Soname of the library, e.g. `libc.so.6`. */
  readonly file: string;
  /** Version name, e.g. `GLIBC_2.38`. */
  readonly name: string;
  readonly flags: number;
  /** The version index symbols refer to (`vna_other`). */
  readonly index: number;
  /** File offset of the `Elf64_Vernaux` entry. */
  readonly entryOffset: number;
}

/** An undefined dynamic symbol bound to a needed version. */
export interface VersionedImport {
  readonly symbol: string;
  readonly version: string;
  readonly file: string;
}

/** A read-only view of a 64-bit little-endian ELF object. */
export class ElfFile {
  private readonly view: DataView;
  private readonly sections: readonly Section[];

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ElfError('not an ELF file');
    }
    if (bytes[4] !== 2) throw new ElfError('not a 64-bit ELF file (only ELFCLASS64 is supported)');
    if (bytes[5] !== 1) throw new ElfError('not a little-endian ELF file (only ELFDATA2LSB is supported)');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const shoff = this.u64(0x28);
    const shentsize = this.u16(0x3a);
    const shnum = this.u16(0x3c);
    if (shoff === 0 || shnum === 0) throw new ElfError('no section headers');
    if (shentsize < 64 || shoff + shnum * shentsize > bytes.length) throw new ElfError('section headers out of bounds');
    const sections: Section[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      sections.push({
        type: this.u32(at + 4),
        offset: this.u64(at + 0x18),
        size: this.u64(at + 0x20),
        link: this.u32(at + 0x28),
        info: this.u32(at + 0x2c),
        entsize: this.u64(at + 0x38),
      });
    }
    for (const s of sections) {
      if (s.type !== 8 /* SHT_NOBITS */ && s.offset + s.size > bytes.length) throw new ElfError('section out of bounds');
    }
    this.sections = sections;
  }

  /** `e_machine`: 62 x86-64, 183 AArch64. */
  get machine(): number {
    return this.u16(0x12);
  }

  private u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  private u64(at: number): number {
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('64-bit field out of range');
    return Number(v);
  }

  private section(type: number): Section | undefined {
    return this.sections.find((s) => s.type === type);
  }

  private string(tableIndex: number, offset: number): string {
    const table = this.sections[tableIndex];
    if (table === undefined) throw new ElfError(`no string table ${tableIndex}`);
    const start = table.offset + offset;
    const end = this.bytes.indexOf(0, start);
    if (offset >= table.size || end < 0 || end > table.offset + table.size) throw new ElfError('string out of bounds');
    return new TextDecoder('latin1').decode(this.bytes.subarray(start, end));
  }

  /** Sonames from `DT_NEEDED`, in order. */
  needed(): string[] {
    const dyn = this.section(SHT_DYNAMIC);
    if (dyn === undefined) return [];
    const out: string[] = [];
    for (let at = dyn.offset; at + 16 <= dyn.offset + dyn.size; at += 16) {
      const tag = this.u64(at);
      if (tag === 0) break;
      if (tag === DT_NEEDED) out.push(this.string(dyn.link, this.u64(at + 8)));
    }
    return out;
  }

  /** Every `Elf64_Vernaux` of `.gnu.version_r`. */
  versionNeeds(): VersionNeed[] {
    const s = this.section(SHT_GNU_VERNEED);
    if (s === undefined) return [];
    const out: VersionNeed[] = [];
    let vn = s.offset;
    // sh_info holds the number of Elf64_Verneed entries.
    for (let i = 0; i < s.info; i++) {
      if (vn + 16 > s.offset + s.size) throw new ElfError('version need out of bounds');
      const cnt = this.u16(vn + 2);
      const file = this.string(s.link, this.u32(vn + 4));
      let aux = vn + this.u32(vn + 8);
      for (let k = 0; k < cnt; k++) {
        if (aux + 16 > s.offset + s.size) throw new ElfError('version need entry out of bounds');
        out.push({ file, name: this.string(s.link, this.u32(aux + 8)), flags: this.u16(aux + 4), index: this.u16(aux + 6) & 0x7fff, entryOffset: aux });
        const next = this.u32(aux + 12);
        if (next === 0) break;
        aux += next;
      }
      const nextNeed = this.u32(vn + 12);
      if (nextNeed === 0) break;
      vn += nextNeed;
    }
    return out;
  }

  /** Version names this object defines (`.gnu.version_d`), e.g. every `GLIBC_2.x` of libc.so.6. */
  versionDefinitions(): string[] {
    const s = this.section(SHT_GNU_VERDEF);
    if (s === undefined) return [];
    const out: string[] = [];
    let vd = s.offset;
    for (let i = 0; i < s.info; i++) {
      if (vd + 20 > s.offset + s.size) throw new ElfError('version definition out of bounds');
      const cnt = this.u16(vd + 6);
      const aux = vd + this.u32(vd + 12);
      // The first Elf64_Verdaux names the version itself; later ones name its parents.
      if (cnt > 0) out.push(this.string(s.link, this.u32(aux)));
      const next = this.u32(vd + 16);
      if (next === 0) break;
      vd += next;
    }
    return out;
  }

  /** Undefined dynamic symbols that carry a needed version. */
  versionedImports(): VersionedImport[] {
    const dynsym = this.section(SHT_DYNSYM);
    const versym = this.section(SHT_GNU_VERSYM);
    if (dynsym === undefined || versym === undefined) return [];
    const byIndex = new Map(this.versionNeeds().map((v) => [v.index, v]));
    const count = dynsym.size / (dynsym.entsize || 24);
    const out: VersionedImport[] = [];
    for (let i = 1; i < count; i++) {
      const sym = dynsym.offset + i * 24;
      if (this.u16(sym + 6) !== SHN_UNDEF) continue;
      const need = byIndex.get(this.u16(versym.offset + 2 * i) & 0x7fff);
      if (need === undefined) continue;
      out.push({ symbol: this.string(dynsym.link, this.u32(sym)), version: need.name, file: need.file });
    }
    return out;
  }
}

/**
 * A copy of `bytes` in which the needed versions named in `versions` are
 * marked `VER_FLG_WEAK`. Nothing else changes: same size, same layout.
 * Throws if a name is not among the object's needed versions.
 */
export function markVersionsWeak(bytes: Uint8Array, versions: readonly string[]): Uint8Array {
  const elf = new ElfFile(bytes);
  const needs = elf.versionNeeds();
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const name of versions) {
    const matches = needs.filter((n) => n.name === name);
    if (matches.length === 0) throw new ElfError(`the object does not need version ${name}`);
    for (const n of matches) view.setUint16(n.entryOffset + 4, n.flags | VER_FLG_WEAK, true);
  }
  return out;
}
