import Testing

@Test func reportModuleBuilds() {}
