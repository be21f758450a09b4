/// The CultureLens version.
public enum CultureLensVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
