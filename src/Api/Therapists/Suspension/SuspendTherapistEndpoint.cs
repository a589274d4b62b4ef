using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Suspension;

namespace EventSourcedClinic.Api.Therapists.Suspension;

/// <summary>The admin suspends a therapist: out of the directory and out of booking until reinstated.</summary>
public static class SuspendTherapistEndpoint
{
    public static ProblemDetails Validate(SuspendTherapist command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists/{therapistId}/suspension"), Authorize(Roles = ClinicRoles.Admin)]
    public static async Task<IResult> Post(SuspendTherapist command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => SuspendTherapist.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<SuspendTherapist>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).StreamVersion();
            RuleFor(x => x.Reason).Reason();
        }
    }
}
