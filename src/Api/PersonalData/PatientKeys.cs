using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventSourcedClinic.Api.PersonalData;

/// <summary>
/// One AES-256 data key per patient, kept in <c>clinic.patient_keys</c> wrapped (AES-GCM) under the master key from
/// configuration. Destroying a patient's key erases their personal data in every event and read model (crypto-shredding,
/// ADR 0008). Keys are cached, and every node forgets a destroyed key as soon as the destroying transaction commits: the
/// destruction notifies <see cref="DestroyedChannel"/>, which <see cref="PatientKeyListener"/> hears. While a node is not
/// listening (starting, or its connection lost) it caches nothing, so it can never decrypt with a key destroyed meanwhile.
/// </summary>
public sealed class PatientKeys(NpgsqlDataSource dataSource, MasterKey master, TimeProvider time)
{
    /// <summary>A backstop: even while listening, a cached key is read again after this long.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(2);

    public const string DestroyedChannel = "clinic_patient_key_destroyed";

    public const string TableName = "patient_keys";

    private const string Table = $"{ClinicSchema.Name}.{TableName}";

    // Every destruction, however it is made, tells every node when its transaction commits.
    public const string Schema = $$"""
        create table if not exists {{Table}} (
            patient_id uuid primary key,
            wrapped_key bytea,
            created_at timestamptz not null,
            destroyed_at timestamptz
        );

        create or replace function {{ClinicSchema.Name}}.patient_key_destroyed() returns trigger
        language plpgsql set search_path = pg_catalog as $fn$
        begin
            perform pg_notify('{{DestroyedChannel}}', new.patient_id::text);
            return null;
        end
        $fn$;

        create or replace trigger patient_key_destroyed after update of destroyed_at on {{Table}}
            for each row when (old.destroyed_at is null and new.destroyed_at is not null)
            execute function {{ClinicSchema.Name}}.patient_key_destroyed();
        """;

    public static DatabaseObject DatabaseObject { get; } =
        new(ClinicSchema.Name, TableName, Schema, $"trigger patient_key_destroyed on {Table}", $"drop table if exists {Table};");

    private readonly ConcurrentDictionary<Guid, (byte[]? Key, DateTimeOffset Until)> _cache = new();
    private volatile bool _listening;

    /// <summary>The key to encrypt with, created on first use. A patient whose key was destroyed gets no new personal data.</summary>
    public byte[] ForWriting(Guid patientId)
    {
        if (ForReading(patientId) is { } key)
        {
            return key;
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        using (var insert = dataSource.CreateCommand(
                   $"insert into {Table} (patient_id, wrapped_key, created_at) values ($1, $2, $3) on conflict (patient_id) do nothing"))
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
        if (_cache.TryGetValue(patientId, out var cached) && (cached.Until > now || cached.Until == DateTimeOffset.MaxValue))
        {
            return cached.Key;
        }

        using var select = dataSource.CreateCommand($"select wrapped_key from {Table} where patient_id = $1 and destroyed_at is null");
        select.Parameters.AddWithValue(patientId);
        var key = select.ExecuteScalar() is byte[] wrapped ? master.Unwrap(wrapped, patientId) : null;
        if (!_listening)
        {
            return key;
        }

        // A key destroyed (and heard of) while the read was under way stays destroyed.
        var entry = _cache.AddOrUpdate(patientId, (key, now + CacheFor),
            (_, existing) => existing.Until == DateTimeOffset.MaxValue ? existing : (key, now + CacheFor));
        return entry.Key;
    }

    /// <summary>
    /// Destroys a patient's key in a Marten session's own transaction (parameters: time, patient): the row stays as the
    /// record that it existed, the key material does not. Then call <see cref="Forget"/>; every other node hears of it
    /// when the transaction commits, and not before.
    /// </summary>
    public const string DestroyInTransaction =
        $"update {Table} set wrapped_key = null, destroyed_at = ? where patient_id = ? and destroyed_at is null";


    /// <summary>After a key was destroyed: this node stops decrypting at once.</summary>
    public void Forget(Guid patientId) => _cache[patientId] = (null, DateTimeOffset.MaxValue);

    /// <summary>Whether this node hears of keys destroyed on others (and so caches keys).</summary>
    public bool IsListening => _listening;

    /// <summary>Whether destructions on other nodes are being heard; while they are not, nothing is cached.</summary>
    public void Listening(bool listening)
    {
        _listening = listening;
        // Whatever was cached may have been destroyed while this node was deaf; destroyed keys stay forgotten.
        foreach (var (id, entry) in _cache)
        {
            if (entry.Until != DateTimeOffset.MaxValue)
            {
                _cache.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>
/// Listens, on a connection of its own, for patients' keys destroyed on any node, and makes this node forget them
/// (ADR 0012). When the connection is lost the node stops caching keys until it listens again.
/// </summary>
public sealed class PatientKeyListener(NpgsqlDataSource dataSource, PatientKeys keys, ILogger<PatientKeyListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, heard) =>
                {
                    if (Guid.TryParse(heard.Payload, out var patientId))
                    {
                        keys.Forget(patientId);
                    }
                };
                await using (var listen = new NpgsqlCommand($"listen {PatientKeys.DestroyedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                keys.Listening(true);
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever broke the connection, the node keeps serving (uncached) and tries again, backing off.
                keys.Listening(false);
                logger.LogWarning("Not hearing of destroyed patient keys ({Reason}); caching no keys until the database answers again", e.Message);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
            finally
            {
                keys.Listening(false);
            }
        }
    }
}

/// <summary>The master key (base64, 32 bytes) from <c>Encryption:MasterKey</c>: wraps patients' keys and keys the NHS-number hash.</summary>
public sealed class MasterKey
{
    private readonly byte[] _key;
    private readonly byte[] _hashKey;

    public MasterKey(IOptions<EncryptionSettings> settings)
    {
        _key = EncryptionSettings.Decode(settings.Value.MasterKey)
            ?? throw new InvalidOperationException($"{EncryptionSettings.Section}:MasterKey must be 32 random bytes, base64.");

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

/// <summary>The "Encryption" section: the master key that wraps every patient's key, held outside the database.</summary>
public sealed class EncryptionSettings : IValidatableObject
{
    public const string Section = "Encryption";

    /// <summary>32 random bytes, base64.</summary>
    public string MasterKey { get; set; } = "";

    public static byte[]? Decode(string text)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(text ?? "", bytes, out var written) && written == 32 ? bytes : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Decode(MasterKey) is null)
        {
            yield return new ValidationResult($"{Section}:MasterKey must be 32 random bytes, base64.", [nameof(MasterKey)]);
        }
    }
}
