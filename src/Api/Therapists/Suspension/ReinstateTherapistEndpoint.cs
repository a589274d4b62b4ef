using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Suspension;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Therapists.Suspension;

/// <summary>The admin lifts a suspension.</summary>
public static class ReinstateTherapistEndpoint
{
    public static ProblemDetails Validate(ReinstateTherapist command, IEventStream<Therapist> therapist, TimeProvider time) =>
        Decisions.Check(command, Validator.Instance, therapist, "therapist", t => ReinstateTherapist.Decide(t, command, time.GetUtcNow()));

    [WolverinePost("/api/therapists/{therapistId}/reinstatement"), Authorize(Roles = ClinicRoles.Admin)]
    public static StreamVersion Post(ReinstateTherapist command, [WriteAggregate] IEventStream<Therapist> therapist, TimeProvider time) =>
        therapist.Append(ReinstateTherapist.Decide(therapist.Aggregate!, command, time.GetUtcNow()));

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
