import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the enum is an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2;

/**
 * argon2id (OWASP's first choice for password storage) with OWASP's minimum parameters:
 * 19 MiB memory, 2 iterations, 1 lane. @node-rs/argon2 ships prebuilt N-API binaries per
 * platform; the `argon2` package's prebuilt binary crashed (SIGSEGV) on a clean Debian install.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
