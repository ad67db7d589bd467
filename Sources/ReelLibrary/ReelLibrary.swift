public enum ReelLibraryModule {}
