namespace EventSourcedClinic.Domain.Tests;

public class DomainIsFreeOfInfrastructureTests
{
    [Fact]
    public void the_domain_assembly_references_no_event_store_messaging_or_web_framework()
    {
        var references = typeof(Decision).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        references.ShouldNotContain(name => name.StartsWith("Marten") || name.StartsWith("Wolverine") || name.StartsWith("JasperFx")
            || name.StartsWith("Microsoft.AspNetCore") || name.StartsWith("Npgsql") || name.StartsWith("Microsoft.EntityFrameworkCore"));
    }
}
