public enum ReelPipelineModule {}
