// WWW-Authenticate challenges (RFC 7235) as registries send them with a 401:
//   Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:m:pull"
//   Basic realm="Registry Realm"
// One header may carry several challenges and a response may repeat the header.

/** One challenge: the scheme in lower case and its parameters (names in lower case). */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/** A tiny cursor over one header value. */
class Cursor {
  private readonly text: string;
  private index = 0;
  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.index >= this.text.length;
  }
  get position(): number {
    return this.index;
  }
  rewind(position: number): void {
    this.index = position;
  }
  peek(): string {
    return this.text[this.index] ?? "";
  }
  skip(chars: string): void {
    while (!this.done && chars.includes(this.peek())) this.index++;
  }
  token(): string {
    const start = this.index;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.index++;
    return this.text.slice(start, this.index);
  }
  /** An unquoted value: a token by the RFC, but some servers write URLs bare, so up to "," or space. */
  bare(): string {
    const start = this.index;
    while (!this.done && !", \t".includes(this.peek())) this.index++;
    return this.text.slice(start, this.index);
  }
  /** A quoted-string without its quotes, backslash escapes resolved; the cursor is on the opening quote. */
  quoted(): string {
    let value = "";
    this.index++;
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === "\\") this.index++;
      value += this.peek();
      this.index++;
    }
    this.index++;
    return value;
  }
}

/**
 * Every challenge in the WWW-Authenticate value(s), in order. Pure and lenient: a malformed tail
 * ends the parse instead of throwing (the caller then finds no usable challenge and says so).
 */
export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = typeof header === "string" ? [header] : header;
  return values.flatMap(parseOne);
}

function parseOne(value: string): Challenge[] {
  const challenges: Challenge[] = [];
  const cursor = new Cursor(value);
  for (;;) {
    cursor.skip(" \t,");
    const scheme = cursor.token();
    if (scheme === "") break;
    const params: Record<string, string> = {};
    cursor.skip(" \t");
    for (;;) {
      const start = cursor.position;
      const name = cursor.token();
      cursor.skip(" \t");
      if (name === "" || cursor.peek() !== "=") {
        cursor.rewind(start); // the next challenge's scheme (or a token68, which registries do not use)
        break;
      }
      cursor.skip("=");
      cursor.skip(" \t");
      params[name.toLowerCase()] = cursor.peek() === '"' ? cursor.quoted() : cursor.bare();
      cursor.skip(" \t");
      if (cursor.peek() !== ",") break;
      cursor.skip(",");
      cursor.skip(" \t");
    }
    challenges.push({ scheme: scheme.toLowerCase(), params });
  }
  return challenges;
}

/** The challenge to answer: Bearer when offered (it scopes access), else Basic, else none. Pure. */
export function chooseChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === "bearer" && c.params.realm !== undefined) ?? challenges.find((c) => c.scheme === "basic");
}
