package org.telehall.customer;

import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.stereotype.Component;
import org.telehall.platform.Secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encrypts resident ID numbers at rest with AES-256-GCM (Spring Security's stronger encryptor,
 * key derived by PBKDF2 from the configured data key), and masks them for display.
 */
@Component
public class IdNumberCipher {

    private final BytesEncryptor encryptor;

    IdNumberCipher(Secrets secrets) {
        this.encryptor = Encryptors.stronger(secrets.dataKey(), secrets.dataSalt());
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
