using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Verification;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Therapists.Verification;

/// <summary>The admin confirms a therapist's registration; only verified therapists are listed and bookable.</summary>
public static class VerifyRegistrationEndpoint
{
    public static ProblemDetails Validate(VerifyRegistration command, IEventStream<Therapist> therapist, TimeProvider time) =>
        Decisions.Check(command, Validator.Instance, therapist, "therapist", t => VerifyRegistration.Decide(t, command, time.GetUtcNow()));

    [WolverinePost("/api/therapists/{therapistId}/verification"), Authorize(Roles = ClinicRoles.Admin)]
    public static StreamVersion Post(VerifyRegistration command, [WriteAggregate] IEventStream<Therapist> therapist, TimeProvider time) =>
        therapist.Append(VerifyRegistration.Decide(therapist.Aggregate!, command, time.GetUtcNow()));

    public sealed class Validator : AbstractValidator<VerifyRegistration>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).StreamVersion();
            RuleFor(x => x.CheckedAgainst).NotEmpty().MaximumLength(TherapistRules.MaxReasonLength);
        }
    }
}
