using EventSourcedClinic.Domain.Notifications;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>A person chooses how the clinic tells them things: e-mail and/or text message, English or Welsh, and quiet hours (UK time).</summary>
public static class NotificationPreferencesEndpoints
{
    /// <summary>People are told things; a machine client (an NHS system) has no preferences.</summary>
    public const string People = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin},{ClinicRoles.Compliance}";

    [WolverineGet("/api/me/notification-preferences"), Authorize(Roles = People)]
    [ProducesResponseType<NotificationPreferencesView>(StatusCodes.Status200OK)]
    public static async Task<NotificationPreferencesView> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var personId = Actor.From(user).UserId!.Value;
        return NotificationPreferencesView.From(await session.LoadAsync<NotificationPreferences>(NotificationPreferences.StreamId(personId), cancellation)
                                                ?? NotificationPreferences.Default(personId));
    }
}

public static class SetNotificationPreferencesEndpoint
{
    public static ProblemDetails Validate(NotificationPreferencesView command) => Problems.Validate(command, Validator.Instance);

    [WolverinePut("/api/me/notification-preferences"), Authorize(Roles = NotificationPreferencesEndpoints.People)]
    [ProducesResponseType<NotificationPreferencesView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(
        NotificationPreferencesView command, ClaimsPrincipal user, IDocumentSession session, HttpContext http, TimeProvider time, CancellationToken cancellation)
    {
        var personId = Actor.From(user).UserId!.Value;
        AuditStamp.Apply(session, http);
        var written = await session.AppendAsync<NotificationPreferences>(NotificationPreferences.StreamId(personId), _ => SetNotificationPreferences.Decide(personId,
            new SetNotificationPreferences(command.Channels, command.Language, command.QuietFrom, command.QuietUntil), time.GetUtcNow()), cancellation);
        return written.Refused is { } refused
            ? Results.Problem(refused)
            : Results.Ok(NotificationPreferencesView.From(Fold<NotificationPreferences>.All(written.Events)!));
    }

    public sealed class Validator : AbstractValidator<NotificationPreferencesView>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Channels).NotEmpty().Must(c => c.Length <= NotificationPreferences.KnownChannels.Length);
            RuleForEach(x => x.Channels).Must(NotificationPreferences.KnownChannels.Contains).WithMessage("A channel is email, sms or push.");
            RuleFor(x => x.Language).Must(NotificationPreferences.KnownLanguages.Contains).WithMessage("The language is en or cy.");
        }
    }
}

/// <param name="QuietFrom">The start of quiet hours, UK time (with <paramref name="QuietUntil"/>; both or neither).</param>
public sealed record NotificationPreferencesView(string[] Channels, string Language, TimeOnly? QuietFrom = null, TimeOnly? QuietUntil = null)
{
    public static NotificationPreferencesView From(NotificationPreferences p) => new(p.Channels, p.Language, p.QuietFrom, p.QuietUntil);
}
