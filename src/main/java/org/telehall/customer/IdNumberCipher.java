package org.telehall.customer;

import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.stereotype.Component;
import org.telehall.platform.Secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts resident ID numbers at rest with AES-256-GCM (Spring Security's stronger encryptor,
 * key derived by PBKDF2 from the configured data key), masks them for display, and digests them
 * (HMAC-SHA256 under a key of its own, derived from the data key) so the same person can be found
 * across customer records without decrypting every row: the cipher text is random per row.
 */
@Component
public class IdNumberCipher {

    private static final String DIGEST_ALGORITHM = "HmacSHA256";

    private final BytesEncryptor encryptor;
    private final SecretKeySpec digestKey;

    IdNumberCipher(Secrets secrets) {
        this.encryptor = Encryptors.stronger(secrets.dataKey(), secrets.dataSalt());
        // a key for digests only, so a digest never reveals anything about the encryption key
        this.digestKey = new SecretKeySpec(hmac(new SecretKeySpec(secrets.dataKey().getBytes(StandardCharsets.UTF_8), DIGEST_ALGORITHM),
                "telehall:id-number-digest:v1:" + secrets.dataSalt()), DIGEST_ALGORITHM);
    }

    /**
     * The keyed digest of an ID number (64 hex digits): equal for equal numbers, whatever the case
     * of a trailing X or surrounding spaces, and useless without the data key.
     */
    public String digest(String idNumber) {
        return HexFormat.of().formatHex(hmac(digestKey, normalize(idNumber)));
    }

    /** The form an ID number is stored and compared in: trimmed, X upper-case. */
    public static String normalize(String idNumber) {
        return idNumber == null ? "" : idNumber.strip().toUpperCase(Locale.ROOT);
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(DIGEST_ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    public String encrypt(String idNumber) {
        return Base64.getEncoder().encodeToString(encryptor.encrypt(idNumber.getBytes(StandardCharsets.UTF_8)));
    }

    public String decrypt(String cipherText) {
        return new String(encryptor.decrypt(Base64.getDecoder().decode(cipherText)), StandardCharsets.UTF_8);
    }

    /** "110101********1234": region code and last four stay, birth date and sequence go. */
    public static String mask(String idNumber) {
        if (idNumber == null || idNumber.length() < 10) {
            return "****";
        }
        return idNumber.substring(0, 6) + "*".repeat(idNumber.length() - 10) + idNumber.substring(idNumber.length() - 4);
    }
}
