// A stand-in for react-native, so the SendOTP React Native SDK's module code runs in Node.
// The SDK's OTPWidget only needs fetch; its DefaultWidget module builds styles at load time,
// so StyleSheet, Dimensions and Platform behave like the real ones, and components are inert.
'use strict';
const component = (name) => {
  const Component = () => null;
  Component.displayName = name;
  return Component;
};
class AnimatedValue {
  constructor(value) {
    this.value = value;
  }
  setValue(value) {
    this.value = value;
  }
  interpolate() {
    return this;
  }
}
const animation = { start: (done) => done?.({ finished: true }), stop() {} };
module.exports = {
  NativeModules: {
    // The SDK's biometric bridge: present, as in an app that links the native module.
    BiometricAuth: {},
  },
  Platform: { OS: 'android', select: (choices) => choices.android ?? choices.default },
  StyleSheet: {
    create: (styles) => styles,
    flatten: (style) => (Array.isArray(style) ? Object.assign({}, ...style) : (style ?? {})),
    absoluteFillObject: { position: 'absolute', left: 0, right: 0, top: 0, bottom: 0 },
  },
  Dimensions: { get: () => ({ width: 390, height: 844, scale: 3, fontScale: 1 }) },
  Keyboard: { dismiss() {} },
  Animated: {
    Value: AnimatedValue,
    View: component('Animated.View'),
    timing: () => animation,
    spring: () => animation,
    parallel: () => animation,
  },
  ActivityIndicator: component('ActivityIndicator'),
  FlatList: component('FlatList'),
  KeyboardAvoidingView: component('KeyboardAvoidingView'),
  Modal: component('Modal'),
  SafeAreaView: component('SafeAreaView'),
  Text: component('Text'),
  TextInput: component('TextInput'),
  TouchableOpacity: component('TouchableOpacity'),
  TouchableWithoutFeedback: component('TouchableWithoutFeedback'),
  View: component('View'),
};
