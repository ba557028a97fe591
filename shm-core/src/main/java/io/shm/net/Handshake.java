package io.shm.net;

import io.shm.exceptions.AuthenticationException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The mutual authentication of a new connection, before any message: each side sends the other a
 * challenge of 32 random bytes, and the other answers with their HMAC-SHA256 under the shared
 * key; a right answer is acknowledged with a welcome, a wrong one with a failure, and the
 * connection is closed. The listener challenges first, then the client. Handshake frames are
 * at most {@value #MAX_FRAME} bytes, so a peer cannot make either side allocate more; the key is
 * never sent and never written to a message.
 */
final class Handshake
{
    static final int MAX_FRAME = 256;
    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake()
    {
    }

    /**
     * The listener's side: challenge, then answer the client's challenge.
     */
    static void asListener(final DataInputStream in, final DataOutputStream out, final byte[] key) throws IOException
    {
        challenge(in, out, key, "the client");
        answer(in, out, key, "the client");
    }

    /**
     * The client's side: answer the listener's challenge, then challenge it.
     */
    static void asClient(final DataInputStream in, final DataOutputStream out, final byte[] key) throws IOException
    {
        answer(in, out, key, "the listener");
        challenge(in, out, key, "the listener");
    }

    private static void challenge(final DataInputStream in, final DataOutputStream out, final byte[] key,
        final String peer) throws IOException
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        final byte[] message = concat(CHALLENGE, nonce);
        Frames.write(out, message, 0, message.length);
        final byte[] answer = Frames.read(in, MAX_FRAME);
        if (!MessageDigest.isEqual(answer, hmac(key, message)))
        {
            Frames.write(out, FAILURE, 0, FAILURE.length);
            throw new AuthenticationException(peer + " answered the challenge without the shared key");
        }
        Frames.write(out, WELCOME, 0, WELCOME.length);
    }

    private static void answer(final DataInputStream in, final DataOutputStream out, final byte[] key,
        final String peer) throws IOException
    {
        final byte[] message = Frames.read(in, MAX_FRAME);
        if (message.length != CHALLENGE.length + NONCE_LENGTH ||
            !Arrays.equals(message, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length))
        {
            throw new AuthenticationException(peer + " sent no challenge");
        }
        final byte[] answer = hmac(key, message);
        Frames.write(out, answer, 0, answer.length);
        final byte[] verdict = Frames.read(in, MAX_FRAME);
        if (!Arrays.equals(verdict, WELCOME))
        {
            throw new AuthenticationException(peer + " refused our key");
        }
    }

    private static byte[] hmac(final byte[] key, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * @return a copy of the key, checked.
     * @throws IllegalArgumentException if it is empty.
     */
    static byte[] checkKey(final byte[] key)
    {
        if (key == null || key.length == 0)
        {
            throw new IllegalArgumentException("an authentication key of at least one byte is required");
        }
        return key.clone();
    }
}
