package io.stratum.core.engine;

/**
 * How an engine's instance appears in a stage's connection contract: its block of variables ({@code PG_HOST},
 * {@code PG_PORT}, ...) and the URL clients parse.
 *
 * @param prefix        the variables' prefix ({@code PG}); later instances of the engine in a stage add their name
 * @param urlScheme     the URL's scheme ({@code postgres})
 * @param tlsUrlScheme  the scheme when TLS is required ({@code rediss}; the same as {@code urlScheme} for most engines)
 * @param tlsQuery      what the URL says when TLS is required and the CA is not Stratum's ({@code ?sslmode=require}), empty
 *                      when the scheme says it
 * @param verifiedQuery what it says when TLS is required and Stratum's CA signed the certificate, so that stock drivers
 *                      verify it ({@code ?sslmode=verify-full&sslrootcert={ca}}: {@code {ca}} is the CA file's path)
 * @param urlVariable   the variable holding the URL ({@code DATABASE_URL}, {@code REDIS_URL})
 * @param urlPreference when engines share {@code urlVariable}, the lowest preference's first instance fills it
 * @param username      whether the block carries {@code *_USERNAME} for the master user (Redis clients use the default user)
 */
public record ContractBlock(String prefix, String urlScheme, String tlsUrlScheme, String tlsQuery, String verifiedQuery,
                            String urlVariable, int urlPreference, boolean username) {
    public ContractBlock {
        if (!prefix.matches("[A-Z][A-Z0-9]*")) throw new IllegalArgumentException("a contract prefix is upper case: " + prefix);
    }
}
