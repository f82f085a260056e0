/**
 * The {@code file} vault backend. Layout under {@code $AUTHSOME_HOME/vault/} (dirs 0700, files 0600):
 * {@code records.json} ({@code {"format":1,"records":{"<key>":"<base64 nonce>.<base64 ciphertext+tag>"}}}),
 * {@code master.key} (unless {@code AUTHSOME_MASTER_KEY} holds the key) and {@code locks/}.
 */
@NullMarked
package dev.authsome.vault.file;

import org.jspecify.annotations.NullMarked;
