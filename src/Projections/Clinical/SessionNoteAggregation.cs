using EventSourcedClinic.Domain.Clinical.SessionNotes;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Clinical;

/// <summary>Session notes stored inline: the command side writes through them and the care team's lists read them.</summary>
public sealed class SessionNoteAggregation : SingleStreamProjection<SessionNote, Guid>
{
    public static SessionNote Create(SessionNoteDrafted e) => SessionNote.Create(e);

    public static SessionNote Apply(SessionNoteDraftEdited e, SessionNote n) => n.Apply(e);

    public static SessionNote Apply(SessionNoteSigned e, SessionNote n) => n.Apply(e);

    public static SessionNote Apply(SessionNoteAddendumAdded e, SessionNote n) => n.Apply(e);

    public static SessionNote Apply(SessionNoteEnteredInError e, SessionNote n) => n.Apply(e);

    public static SessionNote Apply(SessionNoteReleasedToPatient e, SessionNote n) => n.Apply(e);
}
