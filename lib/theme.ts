import { createTheme } from '@aws-amplify/ui-react';

// One theme for the whole console, applied once in the root layout: the AWS console's look (squid-ink
// header, blue actions, Amazon Ember where installed) on Amplify UI's tokens.

export const theme = createTheme({
  name: 'studio-access',
  tokens: {
    colors: {
      // Amplify UI derives brand.primary, links and focus rings from these two scales.
      primary: {
        10: { value: '#f2f8fd' },
        20: { value: '#d1e8fb' },
        40: { value: '#539fe5' },
        60: { value: '#0972d3' },
        80: { value: '#0972d3' },
        90: { value: '#065299' },
        100: { value: '#033160' },
      },
      secondary: {
        10: { value: '#fef6ec' },
        20: { value: '#fde3c3' },
        40: { value: '#f8b865' },
        60: { value: '#ff9900' },
        80: { value: '#ec7211' },
        90: { value: '#c45500' },
        100: { value: '#8a3b00' },
      },
      background: {
        secondary: { value: '#f2f3f3' },
      },
      font: {
        primary: { value: '#16191f' },
        secondary: { value: '#545b64' },
      },
    },
    fonts: {
      default: {
        variable: { value: '"Amazon Ember", "Helvetica Neue", Roboto, Arial, sans-serif' },
        static: { value: '"Amazon Ember", "Helvetica Neue", Roboto, Arial, sans-serif' },
      },
    },
    radii: {
      small: { value: '4px' },
      medium: { value: '8px' },
      large: { value: '12px' },
    },
  },
});

/** The console chrome, outside Amplify UI's token set. */
export const chrome = {
  headerBackground: '#232f3e',
  headerText: '#ffffff',
  accent: '#ff9900',
} as const;
