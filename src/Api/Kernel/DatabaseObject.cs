using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Weasel.Core;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// A database object of an area's own beside Marten's (a table with exclusion constraints, a trigger), owned by the
/// store's schema migration: Marten creates it with its own objects outside production, and the <c>migrate</c> command
/// applies it in production (ADR 0012). The DDL must be idempotent. It ends by commenting its marker object with a hash
/// of the DDL, so the migration sees both a missing object and one whose DDL has changed since it was applied.
/// </summary>
public sealed class DatabaseObject(string schema, string name, string ddl, string markerObject, string dropDdl) : ISchemaObject
{
    private readonly string _marker = $"eventsourcedclinic:{schema}.{name}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ddl)))[..16]}";

    /// <summary>The object's name, qualified by the schema it lives in.</summary>
    public DbObjectName Identifier { get; } = new Weasel.Postgresql.PostgresqlObjectName(schema, name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        writer.WriteLine(ddl);
        writer.WriteLine($"comment on {markerObject} is '{_marker}';");
    }

    public void WriteDropStatement(Migrator rules, TextWriter writer) => writer.WriteLine(dropDdl);

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
        builder.Append($"select count(*) from pg_catalog.pg_description where description = '{_marker}';");

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var applied = await reader.ReadAsync(ct) && await reader.GetFieldValueAsync<long>(0, ct) > 0;
        return new SchemaObjectDelta(this, applied ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}

/// <summary>The schema the clinic's events, read models and own objects live in.</summary>
public static class ClinicSchema
{
    public const string Name = "clinic";
}

/// <summary>The clinic's store laid out in any schema, as the registered areas configure it: a replay builds a scratch copy with it.</summary>
public sealed class StoreLayout(Func<string, JasperFx.AutoCreate, StoreOptions> build)
{
    public StoreOptions For(string schema, JasperFx.AutoCreate autoCreate) => build(schema, autoCreate);
}

/// <summary>
/// The areas' own database objects as one Marten feature, which the store applies after its event tables: an object may
/// hang on <c>mt_events</c> (the event chain's trigger).
/// </summary>
public sealed class AreaDatabaseObjects : Weasel.Core.Migrations.FeatureSchemaBase
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<StoreOptions, AreaDatabaseObjects> Features = new();
    private readonly List<ISchemaObject> _objects = [];

    private AreaDatabaseObjects(StoreOptions options)
        : base("area-database-objects", options.Advanced.Migrator)
    {
    }

    /// <summary>Adds an area's object to the store configured by <paramref name="options"/>.</summary>
    public static void Add(StoreOptions options, DatabaseObject databaseObject)
    {
        if (!Features.TryGetValue(options, out var feature))
        {
            feature = new AreaDatabaseObjects(options);
            Features.Add(options, feature);
            options.Storage.Add(feature);
        }

        feature._objects.Add(databaseObject);
    }

    public override IEnumerable<Type> DependentTypes() => [typeof(JasperFx.Events.IEvent)];

    protected override IEnumerable<ISchemaObject> schemaObjects() => _objects;
}
