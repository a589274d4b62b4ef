using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Suspension;

namespace EventSourcedClinic.Api.Therapists.Suspension;

/// <summary>The admin lifts a suspension.</summary>
public static class ReinstateTherapistEndpoint
{
    public static ProblemDetails Validate(ReinstateTherapist command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists/{therapistId}/reinstatement"), Authorize(Roles = ClinicRoles.Admin)]
    public static async Task<IResult> Post(ReinstateTherapist command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => ReinstateTherapist.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<ReinstateTherapist>
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
