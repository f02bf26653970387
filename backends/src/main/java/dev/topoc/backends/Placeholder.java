package dev.topoc.backends;
final class Placeholder {}
