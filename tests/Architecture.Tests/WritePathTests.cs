using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EventSourcedClinic.Architecture.Tests;

/// <summary>
/// Every event an area writes goes through the kernel's one write path (<c>StreamWrites</c>, ADR 0012): no endpoint or
/// handler starts, fetches for writing or appends to a stream by itself. The access log keeps its own append (ADR 0009);
/// nothing else in the API does. (The demo seed, its own assembly, writes history as it was.)
/// </summary>
public class WritePathTests
{
    private static readonly string[] Writes =
        ["StartStream", "Append", "AppendOne", "AppendMany", "AppendExclusive", "AppendOptimistic", "FetchForWriting", "FetchForExclusiveWriting"];

    private static readonly string[] Allowed = ["EventSourcedClinic.Api.Kernel", "EventSourcedClinic.Api.Access"];

    [Fact]
    public void only_the_write_path_appends_events()
    {
        var offenders = WritesOutsideThePath(typeof(Program).Assembly.Location);
        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void the_check_finds_a_direct_append()
    {
        // This test assembly holds one, below: the check must see it.
        WritesOutsideThePath(Assembly.GetExecutingAssembly().Location, allowAll: false)
            .ShouldContain(call => call.Contains(nameof(DirectAppend), StringComparison.Ordinal));
    }

    private static string[] WritesOutsideThePath(string assemblyPath, bool allowAll = true)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        return module.GetTypes()
            .Where(type => !allowAll || !Allowed.Any(Namespace(type).StartsWith))
            .SelectMany(type => type.Methods.Where(m => m.HasBody).SelectMany(method => method.Body.Instructions
                .Where(i => i.OpCode == OpCodes.Call || i.OpCode == OpCodes.Callvirt)
                .Select(i => i.Operand).OfType<MethodReference>()
                .Where(called => Writes.Contains(called.Name) && IsEventStore(called.DeclaringType))
                .Select(called => $"{type.FullName}.{method.Name} calls {called.DeclaringType.Name}.{called.Name}")))
            .Distinct().ToArray();
    }

    private static bool IsEventStore(TypeReference type) =>
        type.Namespace.StartsWith("Marten", StringComparison.Ordinal) || type.Namespace.StartsWith("JasperFx.Events", StringComparison.Ordinal);

    // Lambdas and async state machines are nested types: they belong to the namespace of the type they were written in.
    private static string Namespace(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static class DirectAppend
    {
        public static void Write(Marten.IDocumentSession session, Guid streamId) => session.Events.Append(streamId, new object());
    }
}
