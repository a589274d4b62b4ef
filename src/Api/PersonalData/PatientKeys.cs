using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;

namespace EventSourcedClinic.Api.PersonalData;

/// <summary>
/// One AES-256 data key per patient, kept in <c>clinic.patient_keys</c> wrapped (AES-GCM) under the master key from
/// configuration. Destroying a patient's key erases their personal data in every event and read model (crypto-shredding,
/// ADR 0008). Keys are cached for a short while, so a key destroyed on one node stops decrypting on the others within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class PatientKeys(NpgsqlDataSource dataSource, MasterKey master, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(2);

    public const string Schema = """
        create table if not exists clinic.patient_keys (
            patient_id uuid primary key,
            wrapped_key bytea,
            created_at timestamptz not null,
            destroyed_at timestamptz
        );
        """;

    private readonly ConcurrentDictionary<Guid, (byte[]? Key, DateTimeOffset Until)> _cache = new();

    /// <summary>The key to encrypt with, created on first use. A patient whose key was destroyed gets no new personal data.</summary>
    public byte[] ForWriting(Guid patientId)
    {
        if (ForReading(patientId) is { } key)
        {
            return key;
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        using (var insert = dataSource.CreateCommand(
                   "insert into clinic.patient_keys (patient_id, wrapped_key, created_at) values ($1, $2, $3) on conflict (patient_id) do nothing"))
        {
            insert.Parameters.AddWithValue(patientId);
            insert.Parameters.AddWithValue(master.Wrap(fresh, patientId));
            insert.Parameters.AddWithValue(time.GetUtcNow());
            insert.ExecuteNonQuery();
        }

        _cache.TryRemove(patientId, out _);
        return ForReading(patientId) ?? throw new PersonalDataErasedException(patientId);
    }

    /// <summary>The key to decrypt with, or null when the patient has none (never had personal data, or it was erased).</summary>
    public byte[]? ForReading(Guid patientId)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(patientId, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        using var select = dataSource.CreateCommand("select wrapped_key from clinic.patient_keys where patient_id = $1 and destroyed_at is null");
        select.Parameters.AddWithValue(patientId);
        var key = select.ExecuteScalar() is byte[] wrapped ? master.Unwrap(wrapped, patientId) : null;

        // A key destroyed on this node while the read was under way stays destroyed.
        var entry = _cache.AddOrUpdate(patientId, (key, now + CacheFor),
            (_, existing) => existing.Until == DateTimeOffset.MaxValue ? existing : (key, now + CacheFor));
        return entry.Key;
    }

    /// <summary>Destroys a patient's key: the row stays as the record that it existed, the key material does not.</summary>
    public async Task DestroyAsync(Guid patientId, CancellationToken cancellation)
    {
        await using var destroy = dataSource.CreateCommand(DestroySql);
        destroy.Parameters.AddWithValue(patientId);
        destroy.Parameters.AddWithValue(time.GetUtcNow());
        await destroy.ExecuteNonQueryAsync(cancellation);
        Forget(patientId);
    }

    private const string DestroySql = "update clinic.patient_keys set wrapped_key = null, destroyed_at = $2 where patient_id = $1 and destroyed_at is null";

    /// <summary>The same, for a Marten session that must do it in its own transaction (parameters: time, patient); then call <see cref="Forget"/>.</summary>
    public const string DestroyInTransaction = "update clinic.patient_keys set wrapped_key = null, destroyed_at = ? where patient_id = ? and destroyed_at is null";

    /// <summary>After a key was destroyed in another transaction: this node stops decrypting at once.</summary>
    public void Forget(Guid patientId) => _cache[patientId] = (null, DateTimeOffset.MaxValue);
}

/// <summary>The master key (base64, 32 bytes) from <c>Encryption:MasterKey</c>: wraps patients' keys and keys the NHS-number hash.</summary>
public sealed class MasterKey
{
    private readonly byte[] _key;
    private readonly byte[] _hashKey;

    public MasterKey(IConfiguration configuration)
    {
        var text = configuration["Encryption:MasterKey"];
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidOperationException("Encryption:MasterKey is not configured (32 random bytes, base64).");
        }

        _key = Convert.FromBase64String(text);
        if (_key.Length != 32)
        {
            throw new InvalidOperationException("Encryption:MasterKey must be 32 bytes (base64).");
        }

        _hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: "eventsourcedclinic nhs-number hash"u8.ToArray());
        ChainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: "eventsourcedclinic event chain"u8.ToArray());
    }

    /// <summary>The key of the event store's hash chain (ADR 0009), derived from the master key.</summary>
    public byte[] ChainKey { get; }

    public byte[] Wrap(byte[] dataKey, Guid patientId) => Seal(_key, dataKey, patientId);

    public byte[] Unwrap(byte[] wrapped, Guid patientId) => Open(_key, wrapped, patientId);

    /// <summary>A keyed hash of an NHS number, to find and de-duplicate patients without storing the number in the clear.</summary>
    public string HashNhsNumber(string nhsNumber) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, System.Text.Encoding.ASCII.GetBytes(nhsNumber)));

    /// <summary>AES-256-GCM with the owner's id as associated data: nonce (12) + tag (16) + ciphertext.</summary>
    public static byte[] Seal(byte[] key, byte[] plaintext, Guid owner)
    {
        var sealedBytes = new byte[12 + 16 + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), owner.ToByteArray());
        return sealedBytes;
    }

    public static byte[] Open(byte[] key, byte[] sealedBytes, Guid owner)
    {
        var plaintext = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plaintext, owner.ToByteArray());
        return plaintext;
    }
}

/// <summary>Something new was to be written for a patient whose personal data was erased.</summary>
public sealed class PersonalDataErasedException(Guid patientId)
    : Exception($"Patient {patientId}'s personal data was erased; nothing new is recorded for them.")
{
    public Guid PatientId { get; } = patientId;
}
