// The constraint tests drive the byte-level automaton directly (accept/reject hand-written JSON).
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Baimo.Generation.Tests")]
