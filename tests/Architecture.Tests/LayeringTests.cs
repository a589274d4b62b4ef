using System.Reflection;
using NetArchTest.Rules;

namespace EventSourcedClinic.Architecture.Tests;

/// <summary>
/// The shape of ADR 0012, checked on the compiled assemblies: the domain knows no infrastructure, the areas know
/// neither the host nor each other's insides beyond the dependencies listed here, and nothing tells a person anything
/// before the event that caused it is committed.
/// </summary>
public class LayeringTests
{
    private const string Api = "EventSourcedClinic.Api";

    private static Type[] Areas => EventSourcedClinic.Api.Hosting.ClinicAreas.All().Select(a => a.GetType()).ToArray();

    private static readonly Assembly ApiAssembly = typeof(Program).Assembly;

    /// <summary>What every area may use: the kernel, the one patient access policy, identity's roles and personal data.</summary>
    private static readonly string[] Shared = ["Kernel", "Access", "Identity", "PersonalData"];

    /// <summary>
    /// Which feature areas each area may use, besides <see cref="Shared"/>. Acyclic, and short on purpose: a new edge is a
    /// decision, written in ADR 0012 beside this list.
    /// </summary>
    private static readonly Dictionary<string, string[]> AreaDependencies = new()
    {
        ["Therapists"] = [],
        ["Notifications"] = [],
        ["Scheduling"] = ["Therapists", "Notifications"],
        ["Payments"] = ["Scheduling", "Notifications"],
        ["Billing"] = ["Payments", "Scheduling", "Clinical", "Therapists"],
        ["Patients"] = [],
        ["Clinical"] = ["Scheduling", "Patients", "Payments"],
        ["Messaging"] = ["Notifications"],
        ["Video"] = ["Scheduling", "Notifications"],
        ["Compliance"] = ["Clinical", "Scheduling", "Patients", "Payments"],
        ["Fhir"] = ["Clinical", "Scheduling", "Patients", "Therapists", "Compliance", "Messaging"],
    };

    private static readonly string[] Host = ["Hosting", "Operations"];

    [Fact]
    public void the_domain_references_no_infrastructure()
    {
        string[] infrastructure = ["Marten", "Wolverine", "JasperFx", "Npgsql", "Microsoft.AspNetCore", "Hl7.Fhir", "FluentValidation", "EventSourcedClinic.Api", "EventSourcedClinic.Projections"];
        var referenced = typeof(Domain.Decision).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        referenced.Where(name => infrastructure.Any(name.StartsWith)).ShouldBeEmpty();
        Failing(Types.InAssembly(typeof(Domain.Decision).Assembly).ShouldNot().HaveDependencyOnAny(infrastructure)).ShouldBeEmpty();
    }

    [Fact]
    public void read_models_know_nothing_of_http_or_messaging()
    {
        Failing(Types.InAssembly(typeof(Projections.Scheduling.SlotClaims).Assembly)
            .ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "Wolverine", "EventSourcedClinic.Api")).ShouldBeEmpty();
    }

    [Fact]
    public void no_area_references_the_host()
    {
        foreach (var area in AreaDependencies.Keys.Concat(Shared))
        {
            Failing(Types.InAssembly(ApiAssembly).That().ResideInNamespace($"{Api}.{area}")
                .ShouldNot().HaveDependencyOnAny(Host.Select(h => $"{Api}.{h}").ToArray())).ShouldBeEmpty($"{area} reaches into the host");
        }
    }

    [Fact]
    public void the_shared_kernel_and_access_policy_know_no_feature_area()
    {
        foreach (var shared in new[] { "Kernel", "Access", "PersonalData" })
        {
            Failing(Types.InAssembly(ApiAssembly).That().ResideInNamespace($"{Api}.{shared}")
                .ShouldNot().HaveDependencyOnAny(AreaDependencies.Keys.Select(a => $"{Api}.{a}").ToArray())).ShouldBeEmpty($"{shared} knows an area");
        }
    }

    [Fact]
    public void each_area_uses_only_the_areas_it_is_allowed()
    {
        foreach (var (area, allowed) in AreaDependencies)
        {
            var forbidden = AreaDependencies.Keys.Where(other => other != area && !allowed.Contains(other)).Select(other => $"{Api}.{other}").ToArray();
            Failing(Types.InAssembly(ApiAssembly).That().ResideInNamespace($"{Api}.{area}").ShouldNot().HaveDependencyOnAny(forbidden))
                .ShouldBeEmpty($"{area} uses an area it is not allowed to");
        }
    }

    [Fact]
    public void the_allowed_area_dependencies_have_no_cycle()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        void Visit(string area, string path)
        {
            visiting.Contains(area).ShouldBeFalse($"cycle: {path}");
            if (!done.Add(area))
            {
                return;
            }

            visiting.Add(area);
            foreach (var next in AreaDependencies[area])
            {
                Visit(next, $"{path} -> {next}");
            }

            visiting.Remove(area);
        }

        foreach (var area in AreaDependencies.Keys)
        {
            Visit(area, area);
        }
    }

    [Fact]
    public void every_area_namespace_is_listed_and_registers_itself()
    {
        var namespaces = ApiAssembly.GetTypes().Select(t => t.Namespace).OfType<string>().Where(n => n.StartsWith(Api + ".", StringComparison.Ordinal))
            .Select(n => n[(Api.Length + 1)..].Split('.')[0]).Distinct().ToArray();
        namespaces.Except(AreaDependencies.Keys).Except(Shared).Except(Host).ShouldBeEmpty("an area the layering rules do not know");

        var registered = Areas.Select(a => a.Namespace!.Split('.')[2]).ToArray();
        AreaDependencies.Keys.Except(registered).ShouldBeEmpty("an area that does not register itself");
    }

    [Fact]
    public void only_the_delivery_handler_hands_anything_to_a_notification_sender()
    {
        // Notifications leave as messages that Wolverine sends after the causing event commits (the outbox).
        var senders = Types.InAssembly(ApiAssembly).That().HaveDependencyOn(typeof(EventSourcedClinic.Api.Notifications.INotificationSender).FullName)
            .GetTypes().Where(t => !t.IsInterface && !typeof(EventSourcedClinic.Api.Notifications.INotificationSender).IsAssignableFrom(t)
                && !typeof(EventSourcedClinic.Api.Kernel.ClinicArea).IsAssignableFrom(t))
            .Select(t => t.FullName!).Where(name => !name.StartsWith($"{Api}.Hosting", StringComparison.Ordinal)).ToArray();
        senders.ShouldBe([typeof(EventSourcedClinic.Api.Notifications.DeliverNotificationHandler).FullName!], ignoreOrder: true);
    }

    [Fact]
    public void the_production_assembly_carries_no_demo_data()
    {
        ApiAssembly.GetReferencedAssemblies().ShouldNotContain(a => a.Name == "EventSourcedClinic.Demo");
        var password = System.Text.Encoding.Unicode.GetBytes(Demo.DemoClinic.Password);
        File.ReadAllBytes(typeof(Demo.DemoClinic).Assembly.Location).AsSpan().IndexOf(password).ShouldBeGreaterThan(-1, "the check must see the demo's own password");
        File.ReadAllBytes(ApiAssembly.Location).AsSpan().IndexOf(password).ShouldBe(-1, "the API assembly holds the demo's password");
    }

    private static string[] Failing(ConditionList rule) => rule.GetResult().FailingTypeNames?.ToArray() ?? [];
}
