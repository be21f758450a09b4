/// The local web dashboard (Hummingbird). Filled in by the reports issue.
public enum DashboardServer {}
