// The opt-out token of a parent's reminder, computed from the contact key
// file the way the program does (app::ReminderOptOutToken: a BLAKE2b MAC of
// the reminder id under the libsodium KDF subkey "remindot"), with
// Python's hashlib, so a test can follow the link a message would carry
// without reading any message.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const MAC = `
import hashlib, struct, sys
key = bytes.fromhex(sys.argv[1])
subkey = hashlib.blake2b(b"", key=key, digest_size=32,
                         salt=struct.pack("<Q", 1) + bytes(8),
                         person=sys.argv[2].encode().ljust(16, b"\\0")).digest()
print(hashlib.blake2b(sys.argv[3].encode(), key=subkey, digest_size=16).hexdigest())
`;

export function mac(keyHex, context, message) {
  return execFileSync('python3', ['-c', MAC, keyHex, context, message], { encoding: 'utf8' }).trim();
}

// The server's key: contact.key beside its SQLite database.
export function optOutToken(srv, reminderId) {
  const keyHex = readFileSync(path.join(path.dirname(srv.dbPath), 'contact.key'), 'utf8').trim();
  return mac(keyHex, 'remindot', reminderId);
}
