using System.Diagnostics;
using System.Security.Cryptography;
using EventSourcedClinic.Api.PersonalData;
using Npgsql;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>How one event fails the chain.</summary>
public enum ChainProblemKind
{
    /// <summary>The event's data or metadata differ from what was chained when it was appended.</summary>
    Altered,

    /// <summary>A chained event is missing from the store, or a link before it is.</summary>
    Deleted,

    /// <summary>The event at this place in its stream is not the one chained there (sequence numbers or versions moved).</summary>
    Reordered,

    /// <summary>An event that was never chained: written past the clinic, with the trigger disabled.</summary>
    Inserted,
}

public sealed record ChainProblem(ChainProblemKind Kind, Guid StreamId, long Version, long? Sequence, string Detail);

/// <summary>The outcome of recomputing the chain: how much was checked, and every event that fails it.</summary>
public sealed record ChainVerification(
    bool Intact, Guid? StreamId, long EventsChecked, long StreamsChecked, int ProblemCount, ChainProblem[] Problems, double Seconds)
{
    public const int MaxListed = 1_000;
}

/// <summary>
/// Tamper evidence for the event store (ADR 0009). When any event is inserted into <c>mt_events</c>, a trigger stores a
/// link in <c>clinic.event_chain</c>: HMAC-SHA-256, under a key derived from the master key, over the previous link of the
/// same stream and the event's sequence, id, stream, version, type, tenant, timestamp, correlation, causation, user,
/// headers and data. The key reaches PostgreSQL only as a setting of the clinic's own connections, so a row written
/// past the clinic is refused, and one written with the trigger disabled, or any edited row, cannot be given a valid
/// link. Verification recomputes every link in the database.
/// </summary>
public sealed class EventChain(NpgsqlDataSource database, MasterKey master)
{
    public const string KeySetting = "clinic.chain_key";

    /// <summary>
    /// The canonical bytes of an event row <c>e</c>: jsonb's text form is deterministic, and the timestamp is taken in
    /// microseconds since the epoch so that no session time zone enters it. Marten's tombstones (placeholders for
    /// sequence numbers of failed appends) are not chained.
    /// </summary>
    private const string Canonical = """
        convert_to(jsonb_build_array(
            e.seq_id, e.id, e.stream_id, e.version, e.type, e.tenant_id, (extract(epoch from e.timestamp) * 1000000)::bigint,
            e.correlation_id, e.causation_id, e.user_name, e.headers, e.is_archived, e.data)::text, 'UTF8')
        """;

    private const string Tombstone = "tombstone";

    public const string Schema = $$"""
        create extension if not exists pgcrypto;
        create table if not exists {{ClinicSchema.Name}}.event_chain (
            seq_id bigint primary key,
            stream_id uuid not null,
            version bigint not null,
            hash bytea not null,
            constraint event_chain_position unique (stream_id, version)
        );

        create or replace function {{ClinicSchema.Name}}.chain_event() returns trigger
        language plpgsql set search_path = pg_catalog, public as $fn$
        declare
            key bytea := decode(nullif(current_setting('{{KeySetting}}', true), ''), 'hex');
            previous bytea;
            e {{ClinicSchema.Name}}.mt_events := new;
        begin
            if e.type = '{{Tombstone}}' then
                return null;
            end if;
            if key is null then
                raise exception 'events are appended by the clinic only (this connection has no chain key)'
                    using errcode = 'insufficient_privilege';
            end if;
            select c.hash into previous from {{ClinicSchema.Name}}.event_chain c where c.stream_id = e.stream_id and c.version = e.version - 1;
            insert into {{ClinicSchema.Name}}.event_chain (seq_id, stream_id, version, hash)
                values (e.seq_id, e.stream_id, e.version, hmac(coalesce(previous, '\x'::bytea) || {{Canonical}}, key, 'sha256'));
            return null;
        end
        $fn$;

        drop function if exists {{ClinicSchema.Name}}.event_link(bytea, bytea, {{ClinicSchema.Name}}.mt_events);
        create or replace trigger mt_events_chain after insert on {{ClinicSchema.Name}}.mt_events
            for each row execute function {{ClinicSchema.Name}}.chain_event();
        """;

    // Every event joined to its link at the same place in its stream, each link beside the one before it. The HMAC is
    // recomputed here, in the application, with the key: no function in the database takes part in the check.
    private const string Verify = $"""
        with links as (
            select c.*, lag(c.hash) over w as previous, lag(c.version) over w as previous_version
            from {ClinicSchema.Name}.event_chain c
            where $1::uuid is null or c.stream_id = $1
            window w as (partition by c.stream_id order by c.version)
        ), events as (
            select {Canonical} as canonical, e.stream_id, e.version, e.seq_id
            from {ClinicSchema.Name}.mt_events e
            where ($1::uuid is null or e.stream_id = $1) and e.type <> '{Tombstone}'
        )
        select coalesce(e.stream_id, l.stream_id), coalesce(e.version, l.version), coalesce(e.seq_id, l.seq_id),
               case
                   when l.seq_id is null then 'Inserted'
                   when e.seq_id is null then 'Deleted'
                   when e.seq_id <> l.seq_id then 'Reordered'
                   when l.previous_version is distinct from nullif(l.version - 1, 0) then 'Deleted'
               end,
               case
                   when l.seq_id is null then 'no link was stored for this event when it was appended'
                   when e.seq_id is null then 'the chain holds this event, the store does not'
                   when e.seq_id <> l.seq_id then 'sequence ' || e.seq_id || ' stands where sequence ' || l.seq_id || ' was chained'
                   when l.previous_version is distinct from nullif(l.version - 1, 0) then 'the link before this one is missing'
               end,
               e.canonical, l.previous, l.hash
        from events e full join links l on l.stream_id = e.stream_id and l.version = e.version
        """;

    // Streams whose recorded version runs past their last chained event: events cut from the end.
    private const string Truncated = $"""
        select s.id, s.version, coalesce(max(c.version), 0)
        from {ClinicSchema.Name}.mt_streams s left join {ClinicSchema.Name}.event_chain c on c.stream_id = s.id
        where ($1::uuid is null or s.id = $1)
          and not exists (select 1 from {ClinicSchema.Name}.mt_events t where t.stream_id = s.id and t.type = 'tombstone')
        group by s.id, s.version
        having s.version > coalesce(max(c.version), 0)
        """;

    /// <summary>The trigger and its table, owned by the store's migration (ADR 0012).</summary>
    public static DatabaseObject DatabaseObject { get; } = new(ClinicSchema.Name, "event_chain", Schema,
        $"trigger mt_events_chain on {ClinicSchema.Name}.mt_events",
        $"drop trigger if exists mt_events_chain on {ClinicSchema.Name}.mt_events; drop function if exists {ClinicSchema.Name}.chain_event();");

    /// <summary>The clinic's connections to PostgreSQL, each carrying the chain key as a setting of its session.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, MasterKey master)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c {KeySetting}={Convert.ToHexStringLower(master.ChainKey)}".Trim();
        return builder.Build();
    }

    public async Task<ChainVerification> VerifyAsync(Guid? streamId, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<ChainProblem>();
        var streams = new HashSet<Guid>();
        long checkedEvents = 0;
        var count = 0;
        void Report(ChainProblem problem)
        {
            count++;
            if (problems.Count < ChainVerification.MaxListed)
            {
                problems.Add(problem);
            }
        }

        using var hmac = new HMACSHA256(master.ChainKey);
        await using (var verify = database.CreateCommand(Verify))
        {
            verify.CommandTimeout = 0;
            verify.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value, DataTypeName = "uuid" });
            await using var reader = await verify.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                checkedEvents++;
                var stream = reader.GetGuid(0);
                streams.Add(stream);
                var (version, sequence) = (reader.GetInt64(1), reader.GetInt64(2));
                if (!reader.IsDBNull(3))
                {
                    Report(new ChainProblem(Enum.Parse<ChainProblemKind>(reader.GetString(3)), stream, version, sequence, reader.GetString(4)));
                    continue;
                }

                var canonical = (byte[])reader[5];
                var previous = reader.IsDBNull(6) ? [] : (byte[])reader[6];
                var expected = hmac.ComputeHash([.. previous, .. canonical]);
                if (!CryptographicOperations.FixedTimeEquals(expected, (byte[])reader[7]))
                {
                    Report(new ChainProblem(ChainProblemKind.Altered, stream, version, sequence, "the data or metadata changed after the event was appended"));
                }
            }
        }

        await using (var truncated = database.CreateCommand(Truncated))
        {
            truncated.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value, DataTypeName = "uuid" });
            await using var reader = await truncated.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                Report(new ChainProblem(ChainProblemKind.Deleted, reader.GetGuid(0), reader.GetInt64(1), null,
                    $"the stream is at version {reader.GetInt64(1)} but its chain ends at version {reader.GetInt64(2)}"));
            }
        }

        problems.Sort((a, b) => Nullable.Compare(a.Sequence, b.Sequence));
        return new ChainVerification(count == 0, streamId, checkedEvents, streams.Count, count, problems.ToArray(), clock.Elapsed.TotalSeconds);
    }
}
