/**
 * An incremental UTF-8 validator for the broken implementations' base
 * (RFC 3629 §4, Unicode Table 3-7), written apart from wscheck's codec. It
 * fails at the first octet that cannot continue a valid sequence, so a
 * message split anywhere — even inside a character — is judged as a whole.
 *
 * Two named leniencies reproduce common hand-written validators: one that
 * checks only the shape of a sequence (lead octet, number of continuation
 * octets) and so accepts overlong forms, and one that forgets to exclude the
 * UTF-16 surrogates U+D800..U+DFFF (CESU-8/WTF-8 style).
 */
export interface Utf8Leniency {
  /** Accept overlong forms: C0/C1 leads, E0 80..9F, F0 80..8F. */
  readonly overlong?: boolean;
  /** Accept encoded surrogates: ED A0..BF. */
  readonly surrogates?: boolean;
}

export class Utf8Validator {
  /** Continuation octets still expected for the current character. */
  private need = 0;
  /** Allowed range of the next continuation octet. */
  private lo = 0x80;
  private hi = 0xbf;

  constructor(private readonly leniency: Utf8Leniency = {}) {}

  /** Feed octets; false as soon as they cannot be (the start of) valid UTF-8. */
  push(data: Uint8Array): boolean {
    for (const b of data) {
      if (this.need > 0) {
        if (b < this.lo || b > this.hi) return false;
        this.need--;
        this.lo = 0x80;
        this.hi = 0xbf;
        continue;
      }
      if (b <= 0x7f) continue;
      if (b >= 0xc2 && b <= 0xdf) this.expect(1, 0x80, 0xbf);
      else if (b === 0xe0) this.expect(2, this.leniency.overlong ? 0x80 : 0xa0, 0xbf);
      else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) this.expect(2, 0x80, 0xbf);
      else if (b === 0xed) this.expect(2, 0x80, this.leniency.surrogates ? 0xbf : 0x9f);
      else if (b === 0xf0) this.expect(3, this.leniency.overlong ? 0x80 : 0x90, 0xbf);
      else if (b >= 0xf1 && b <= 0xf3) this.expect(3, 0x80, 0xbf);
      else if (b === 0xf4) this.expect(3, 0x80, 0x8f);
      else if ((b === 0xc0 || b === 0xc1) && this.leniency.overlong) this.expect(1, 0x80, 0xbf);
      else return false;
    }
    return true;
  }

  /** True when no character is left incomplete. */
  get complete(): boolean {
    return this.need === 0;
  }

  private expect(need: number, lo: number, hi: number): void {
    this.need = need;
    this.lo = lo;
    this.hi = hi;
  }
}

/** Validate a whole octet string. */
export function isUtf8(data: Uint8Array, leniency: Utf8Leniency = {}): boolean {
  const v = new Utf8Validator(leniency);
  return v.push(data) && v.complete;
}
