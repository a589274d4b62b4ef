using System.ComponentModel.DataAnnotations;
using System.Net;
using Wolverine;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>The "Hosting" section: how the clinic sits behind a load balancer.</summary>
public sealed class HostingSettings : IValidatableObject
{
    public const string Section = "Hosting";

    /// <summary>The addresses of TLS-terminating proxies whose X-Forwarded-For/-Proto are believed.</summary>
    public string[] TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => new ValidationResult($"{Section}:TrustedProxies holds '{p}', which is not an IP address.", [nameof(TrustedProxies)]));
}

/// <summary>The "Messaging" section.</summary>
public sealed class MessagingSettings
{
    public const string Section = "Messaging";

    /// <summary>
    /// Solo for a single node (demo, tests): it owns every stored message at once after a restart. Balanced (production
    /// default) shares work and recovers a dead node's messages across the cluster.
    /// </summary>
    [EnumDataType(typeof(DurabilityMode))]
    public DurabilityMode Durability { get; set; } = DurabilityMode.Balanced;
}
